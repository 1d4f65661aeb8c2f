"""The Inno Setup script: per user, Chinese, the program's names and version, data left alone."""

from __future__ import annotations

import re

import bundle

from jingyuan_desktop import log
from jingyuan_desktop.cli import build_parser
from jingyuan_desktop.store import database

from .conftest import INSTALLER, ROOT

ISS_PATH = INSTALLER / "windows" / "jingyuan.iss"
RAW = ISS_PATH.read_bytes()
TEXT = RAW.decode("utf-8-sig").replace("\r\n", "\n")
# Fixed for good: upgrades find the installed copy by it. Changing it makes every office PC
# install a second copy beside the first instead of upgrading it.
APP_ID = "{{3F0C6D2E-8B47-4C1A-9E55-6A2D7F41B9C3}"


def defines() -> dict[str, str]:
    """Top-level ``#define Name "value"`` lines (the preprocessor's own constants)."""
    return dict(re.findall(r'^#define (\w+) "([^"]*)"$', TEXT, flags=re.MULTILINE))


def section(name: str) -> list[str]:
    """The non-comment lines of an [name] section."""
    lines, inside = [], False
    for line in TEXT.splitlines():
        stripped = line.strip()
        if re.fullmatch(r"\[\w+\]", stripped):
            inside = stripped == f"[{name}]"
            continue
        if inside and stripped and not stripped.startswith(";"):
            lines.append(stripped)
    return lines


def setup() -> dict[str, str]:
    return dict(line.split("=", 1) for line in section("Setup"))


def expand(value: str) -> str:
    for name, defined in defines().items():
        value = value.replace(f"{{#{name}}}", defined)
    return value


def entries(name: str) -> list[dict[str, str]]:
    """Lines of a section made of ``Key: "value"; Key: value`` parameters."""
    parsed = []
    for line in section(name):
        parameters = {}
        for part in re.findall(r'(\w+):\s*("[^"]*"|[^;]+)', line):
            parameters[part[0]] = part[1].strip().strip('"')
        parsed.append(parameters)
    return parsed


def test_the_script_is_utf8_with_a_byte_order_mark():
    """Inno Setup before 6.3 reads a script without the mark in the ANSI code page."""
    assert RAW.startswith(b"\xef\xbb\xbf")


def test_per_user_install_without_administrator_rights():
    assert setup()["PrivilegesRequired"] == "lowest"
    assert setup()["DefaultDirName"].startswith("{autopf}\\")  # %LOCALAPPDATA%\Programs when per user
    assert "PrivilegesRequiredOverridesAllowed" not in setup()


def test_the_app_id_never_changes():
    assert setup()["AppId"] == APP_ID


def test_names_agree_with_the_program():
    names = defines()
    assert names["AppName"] == bundle.APP_NAME
    assert build_parser().description.startswith(bundle.APP_NAME)
    assert names["AppExe"] == f"{bundle.WINDOW_EXE}.exe"
    assert expand(setup()["OutputBaseFilename"]) == bundle.INSTALLER_BASENAME == "警源治理工作台-安装程序"
    assert expand(setup()["AppName"]) == bundle.APP_NAME


def test_the_version_comes_from_pyproject():
    assert setup()["AppVersion"] == "{#AppVersion}"
    assert 'ReadIni(Root + "\\pyproject.toml", "project", "version", "")' in TEXT
    # The fallback reads pyproject.toml as an INI file: [project] must hold a plain version line.
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = pyproject.split("[project]", 1)[1].split("\n[", 1)[0]
    assert re.search(rf'^version = "{re.escape(bundle.project_version())}"$', project, flags=re.MULTILINE)


def test_setup_speaks_simplified_chinese():
    languages = entries("Languages")
    assert [entry["Name"] for entry in languages] == ["chinesesimplified"]
    assert languages[0]["MessagesFile"] == "{#ChineseMessages}"
    assert '#define ChineseMessages "compiler:Languages\\ChineseSimplified.isl"' in TEXT
    assert setup()["ShowLanguageDialog"] == "no"


def test_start_menu_and_optional_desktop_shortcuts_open_the_window():
    icons = entries("Icons")
    program = [icon for icon in icons if icon["Filename"] == "{app}\\{#AppExe}"]
    assert {expand(icon["Name"]) for icon in program} == {
        f"{{group}}\\{bundle.APP_NAME}", f"{{autodesktop}}\\{bundle.APP_NAME}"}
    desktop = next(icon for icon in program if icon["Name"].startswith("{autodesktop}"))
    assert desktop["Tasks"] == "desktopicon"
    assert any(icon["Filename"] == "{uninstallexe}" for icon in icons)
    task = entries("Tasks")[0]
    assert task["Name"] == "desktopicon" and task["Flags"] == "unchecked"
    assert expand(setup()["DefaultGroupName"]) == bundle.APP_NAME


def test_the_icon_is_the_programs():
    assert setup()["SetupIconFile"] == "{#Root}\\resources\\icon\\jingyuan.ico"
    assert (ROOT / "resources" / "icon" / "jingyuan.ico").is_file()
    assert setup()["UninstallDisplayIcon"] == "{app}\\{#AppExe}"


def test_the_data_folder_is_the_programs_and_nothing_deletes_it():
    assert defines()["DataFolder"] == database.APP_NAME == log.APP_NAME
    # The program folder is not the data folder (%LOCALAPPDATA%\jingyuan_desktop).
    assert database.APP_NAME.lower() not in setup()["DefaultDirName"].lower()
    assert section("UninstallDelete") == []
    for entry in entries("InstallDelete"):
        assert entry["Name"].startswith("{app}\\"), entry
    assert "{localappdata}" not in " ".join(section("InstallDelete") + section("Files"))


def test_the_bundle_is_installed_whole():
    files = entries("Files")
    assert len(files) == 1
    assert files[0]["Source"] == "{#BundleDir}\\*" and files[0]["DestDir"] == "{app}"
    assert {"recursesubdirs", "createallsubdirs", "ignoreversion"} <= set(files[0]["Flags"].split())
    assert '#define BundleDir Root + "\\dist\\jingyuan"' in TEXT


def test_an_upgrade_replaces_only_the_program_files():
    assert [entry["Name"] for entry in entries("InstallDelete")] == ["{app}\\_internal"]
    assert setup()["UsePreviousAppDir"] == "yes"
    assert setup()["CloseApplications"] == "yes"


def test_the_shared_database_is_passed_to_every_shortcut():
    for entry in entries("Icons") + entries("Run"):
        if entry["Filename"] == "{app}\\{#AppExe}":
            assert entry["Parameters"] == "{code:DatabaseParameters}"
    assert "'--db \"' + Value + '\"'" in TEXT
    assert "{param:DB|}" in TEXT
