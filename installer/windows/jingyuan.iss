; Inno Setup script of 警源治理工作台-安装程序.exe, the one file for the office PC.
;
; Built by the build script, which runs PyInstaller first and passes the version and the Chinese
; messages file:   python installer\build.py
; By hand, after PyInstaller has made dist\jingyuan:   ISCC installer\windows\jingyuan.iss
;
; Per user, no administrator rights: the program goes to %LOCALAPPDATA%\Programs\JingyuanDesktop.
; The office's data is elsewhere, in %LOCALAPPDATA%\jingyuan_desktop (the database, backups\
; and Logs\, where the program's platformdirs puts them): neither an upgrade nor the uninstaller
; touches that folder. The program upgrades its database at its first start after an upgrade,
; with a copy of the file beside it first.
; Needs Inno Setup 6.5 or newer (its Languages\ChineseSimplified.isl); installer\README.md.

#define AppName "警源治理工作台"
#define AppExe "jingyuan.exe"
#define DataFolder "jingyuan_desktop"
#define Root AddBackslash(SourcePath) + "..\.."

#ifndef AppVersion
  ; The one version number is [project] version in pyproject.toml; the build script passes it.
  #define AppVersion ReadIni(Root + "\pyproject.toml", "project", "version", "")
#endif
#if AppVersion == ""
  #error 读不到版本号：请用 python installer\build.py 构建，或在命令行加 /DAppVersion=x.y.z
#endif
#ifndef AppFileVersion
  #define AppFileVersion AppVersion
#endif
#ifndef ChineseMessages
  #define ChineseMessages "compiler:Languages\ChineseSimplified.isl"
#endif
#ifndef BundleDir
  #define BundleDir Root + "\dist\jingyuan"
#endif

[Setup]
; AppId never changes: an upgrade finds the installed copy, its folder and its settings by it.
AppId={{3F0C6D2E-8B47-4C1A-9E55-6A2D7F41B9C3}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
VersionInfoVersion={#AppFileVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
; Per user, no administrator rights; {autopf} is then %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
DefaultDirName={autopf}\JingyuanDesktop
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
; 64-bit Windows 10 1809 or later, as Qt 6 needs.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
OutputDir={#Root}\dist
OutputBaseFilename={#AppName}-安装程序
SetupIconFile={#Root}\resources\icon\jingyuan.ico
WizardStyle=modern
ShowLanguageDialog=no
Compression=lzma2/ultra64
SolidCompression=yes
LZMAUseSeparateProcess=yes
; A running copy is closed (asked first) before its files are replaced.
CloseApplications=yes
RestartApplications=no
SetupLogging=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "{#ChineseMessages}"

[CustomMessages]
; Single lines: the code section at the end puts the line breaks in.
DatabasePageCaption=共用数据库（可选）
DatabasePageDescription=几台电脑共用一个数据库时填写；只在本机使用时留空。
DatabasePageText1=填写网络共享盘上的数据库文件，例如 \\服务器\共享\jingyuan.db；或 PostgreSQL 服务器的地址，例如 postgresql+psycopg://jingyuan@服务器/jingyuan。
DatabasePageText2=留空：使用本机的数据库（%%LOCALAPPDATA%%\jingyuan_desktop\jingyuan.db）。填写后，开始菜单和桌面上的快捷方式都打开这个数据库。
DatabasePrompt=数据库(&D)：
DataKept1=程序已卸载。本机的数据库、备份和日志没有删除，仍在：
DataKept2=重新安装后程序会继续使用它们；确实不再需要时，可以手动删除这个文件夹。

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade removes the old version's program files first, so that no library of it lingers
; beside the new ones. Only the program folder: the data folder is never named here.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; Parameters: "{code:DatabaseParameters}"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Parameters: "{code:DatabaseParameters}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Parameters: "{code:DatabaseParameters}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section: the uninstaller removes only what it installed, and the database,
; backups and logs in %LOCALAPPDATA%\jingyuan_desktop stay where they are.

[Code]
var
  DatabasePage: TInputQueryWizardPage;

{ The shared database: /DB="..." on the command line (silent installs on several PCs), else what
  the previous installation was given, else empty (this PC's own database). }
procedure InitializeWizard;
var
  Value: String;
begin
  DatabasePage := CreateInputQueryPage(wpSelectTasks, CustomMessage('DatabasePageCaption'),
    CustomMessage('DatabasePageDescription'),
    CustomMessage('DatabasePageText1') + #13#10#13#10 + FmtMessage(CustomMessage('DatabasePageText2'), []));
  DatabasePage.Add(CustomMessage('DatabasePrompt'), False);
  Value := ExpandConstant('{param:DB|}');
  if Value = '' then
    Value := GetPreviousData('SharedDatabase', '');
  DatabasePage.Values[0] := Value;
end;

procedure RegisterPreviousData(PreviousDataKey: Integer);
begin
  SetPreviousData(PreviousDataKey, 'SharedDatabase', Trim(DatabasePage.Values[0]));
end;

function DatabaseParameters(Param: String): String;
var
  Value: String;
begin
  Value := Trim(DatabasePage.Values[0]);
  StringChangeEx(Value, '"', '', True);
  if Value = '' then
    Result := ''
  else
    Result := '--db "' + Value + '"';
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(CustomMessage('DataKept1') + #13#10 + ExpandConstant('{localappdata}\{#DataFolder}') + #13#10#13#10 +
      CustomMessage('DataKept2'), mbInformation, MB_OK);
end;
