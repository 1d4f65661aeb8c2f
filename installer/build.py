"""Build the program for the office PC, and check the build.

    python installer/build.py                 PyInstaller -> dist/jingyuan/; on Windows then Inno Setup
                                              -> dist/警源治理工作台-安装程序.exe (when Inno Setup is installed)
    python installer/build.py --smoke         the same, then the smoke test of the frozen program
    python installer/build.py --smoke --no-build     only the smoke test, on the dist/jingyuan/ already built

Other options: --no-installer (skip Inno Setup), --require-installer (fail without it, for CI),
--estimate-installer (compress dist/jingyuan/ with LZMA2 as Inno Setup does and report the size).
Run it with the Python of the environment where the program is installed with its build extra:
    pip install -e ".[build]"
Exit codes: 0 done (smoke test passed), 1 a step failed (the reason in Chinese and English), 2 usage.
"""

from __future__ import annotations

import argparse
import io
import json
import lzma
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bundle  # noqa: E402 - installer/bundle.py, beside this file

ROOT = bundle.ROOT
SPEC = HERE / "jingyuan.spec"
ISS = HERE / "windows" / "jingyuan.iss"
DIST = ROOT / "dist"
WORK = ROOT / "build"
BUNDLE_DIR = DIST / bundle.BUNDLE_NAME
IS_WINDOWS = sys.platform == "win32"
EXE_SUFFIX = ".exe" if IS_WINDOWS else ""
INSTALLER_EXE = DIST / f"{bundle.INSTALLER_BASENAME}.exe"
CHINESE_ISL = "ChineseSimplified.isl"

SMOKE_CASES = 200
STEP_TIMEOUT_S = 300
WINDOW_TIMEOUT_S = 240
NOT_EMBEDDED_WARNING = "本PDF未嵌入字体"  # what the program says when no Chinese font could be embedded


class BuildError(Exception):
    """A step that failed: ``zh`` for the office's IT person, ``en`` for everyone else."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh}\n{en}")
        self.zh = zh
        self.en = en


def say(message: str) -> None:
    print(message, flush=True)


# ---------------------------------------------------------------- the bundle


def check_build_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - the script may be started by another Python
        raise BuildError("需要 Python 3.11 或更新版本。", "Python 3.11 or newer is needed.")
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise BuildError('未安装 PyInstaller。请在本项目的虚拟环境中运行：pip install -e ".[build]"',
                         'PyInstaller is not installed. In the project\'s environment run: pip install -e ".[build]"'
                         ) from None
    try:
        import jingyuan_desktop  # noqa: F401
    except ImportError:
        raise BuildError('本环境中没有安装本程序。请先运行：pip install -e ".[build]"',
                         'The program is not installed in this environment. Run: pip install -e ".[build]"') from None


def run_pyinstaller() -> None:
    say(f"== PyInstaller: {SPEC.relative_to(ROOT)} -> {BUNDLE_DIR.relative_to(ROOT)}")
    command = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--clean", "--log-level", "WARN",
               "--distpath", str(DIST), "--workpath", str(WORK / "pyinstaller")]
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise BuildError(f"PyInstaller 打包失败（退出码 {result.returncode}），原因见上方输出。",
                         f"PyInstaller failed (exit code {result.returncode}); see its output above.")
    if not executable(bundle.CLI_EXE).is_file():
        raise BuildError(f"打包后找不到 {executable(bundle.CLI_EXE)}。",
                         f"{executable(bundle.CLI_EXE)} is missing after the build.")
    say(f"   done in {time.monotonic() - started:.0f} s")


def executable(name: str) -> Path:
    return BUNDLE_DIR / f"{name}{EXE_SUFFIX}"


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def report_bundle_size() -> int:
    size = folder_size(BUNDLE_DIR)
    files = sum(1 for path in BUNDLE_DIR.rglob("*") if path.is_file())
    say(f"== 程序文件夹 / bundle folder {BUNDLE_DIR.relative_to(ROOT)}: {megabytes(size)} in {files} files")
    return size


class _Counter(io.RawIOBase):
    """A sink that only counts what is written to it."""

    def __init__(self) -> None:
        self.count = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self.count += len(data)
        return len(data)


def estimate_installer_size() -> int:
    """The folder as one solid LZMA2 stream at the strongest preset, which is what Inno Setup's
    Compression=lzma2/ultra64 with SolidCompression does; the setup program itself adds about 2 MB.
    The two programs go first, side by side: their embedded Python archives are identical, and
    the second is then stored as a reference to the first."""
    say("== 估算安装程序大小 / estimating the installer size (LZMA2, solid; takes a few minutes)")
    started = time.monotonic()
    counter = _Counter()
    filters = [{"id": lzma.FILTER_X86}, {"id": lzma.FILTER_LZMA2, "preset": 9 | lzma.PRESET_EXTREME,
                                         "dict_size": 64 * 1024 * 1024}]
    with lzma.LZMAFile(counter, "wb", format=lzma.FORMAT_XZ, filters=filters) as packed, \
            tarfile.open(fileobj=packed, mode="w") as archive:
        for entry in sorted(BUNDLE_DIR.iterdir(), key=lambda path: (path.is_dir(), path.name)):
            archive.add(entry, arcname=f"{bundle.BUNDLE_NAME}/{entry.name}")
    estimate = counter.count + 2_000_000
    say(f"   about {megabytes(estimate)} (estimate, {time.monotonic() - started:.0f} s)")
    return estimate


# ---------------------------------------------------------------- the installer


def find_iscc() -> Path | None:
    """ISCC.exe: the ISCC environment variable, the PATH, or the usual install folders."""
    configured = os.environ.get("ISCC")
    if configured and Path(configured).is_file():
        return Path(configured)
    on_path = shutil.which("iscc")
    if on_path:
        return Path(on_path)
    roots = [os.environ.get(name) for name in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA")]
    for root in filter(None, roots):
        for base in (Path(root), Path(root) / "Programs"):
            found = sorted(base.glob("Inno Setup */ISCC.exe"), reverse=True)  # the newest version first
            if found:
                return found[0]
    return None


def find_chinese_messages(iscc: Path) -> Path | None:
    """Inno Setup 6.5 and later ship ChineseSimplified.isl; older ones only as an unofficial
    translation, which may be put beside jingyuan.iss (installer/windows/)."""
    for candidate in (iscc.parent / "Languages" / CHINESE_ISL, ISS.parent / CHINESE_ISL,
                      iscc.parent / "Languages" / "Unofficial" / CHINESE_ISL):
        if candidate.is_file():
            return candidate
    return None


def build_installer(*, required: bool) -> Path | None:
    iscc = find_iscc()
    if iscc is None:
        zh = ("未找到 Inno Setup 编译器（ISCC.exe），只生成了程序文件夹 dist\\jingyuan。"
              "要生成安装程序，请安装 Inno Setup 6.5 或更新版本（免费，安装时选默认项）后重新运行本命令，"
              "或用环境变量 ISCC 指明 ISCC.exe 的位置。")
        en = ("Inno Setup's compiler (ISCC.exe) was not found: only the folder dist\\jingyuan was built. Install "
              "Inno Setup 6.5 or newer and run this again, or point the ISCC environment variable at ISCC.exe.")
        if required:
            raise BuildError(zh, en)
        say(f"!! {zh}\n!! {en}")
        return None
    messages = find_chinese_messages(iscc)
    if messages is None:
        raise BuildError(
            f"Inno Setup（{iscc.parent}）缺少简体中文界面文件 {CHINESE_ISL}。Inno Setup 6.5 起自带此文件，"
            f"请升级 Inno Setup；或从 Inno Setup 网站的翻译页面（Translations）下载 Chinese Simplified 的 "
            f"{CHINESE_ISL}，放到 installer\\windows\\ 下后重新运行。",
            f"Inno Setup at {iscc.parent} has no {CHINESE_ISL} (shipped from Inno Setup 6.5 on). Upgrade Inno "
            f"Setup, or download the Chinese Simplified translation from the Translations page of the Inno Setup "
            f"website into installer\\windows\\{CHINESE_ISL} and run this again.")
    version = bundle.project_version()
    say(f"== Inno Setup: {ISS.relative_to(ROOT)} -> {INSTALLER_EXE.relative_to(ROOT)} (version {version})")
    file_version = ".".join(str(number) for number in bundle.version_tuple(version))  # digits only
    command = [str(iscc), "/Qp", f"/DAppVersion={version}", f"/DAppFileVersion={file_version}",
               f"/DChineseMessages={messages}", f"/DBundleDir={BUNDLE_DIR}", f"/O{DIST}", str(ISS)]
    result = subprocess.run(command, cwd=ROOT, check=False)
    if result.returncode != 0 or not INSTALLER_EXE.is_file():
        raise BuildError(f"Inno Setup 编译失败（退出码 {result.returncode}），原因见上方输出。",
                         f"Inno Setup failed (exit code {result.returncode}); see its output above.")
    say(f"== 安装程序 / installer {INSTALLER_EXE.relative_to(ROOT)}: {megabytes(INSTALLER_EXE.stat().st_size)}")
    return INSTALLER_EXE


# ---------------------------------------------------------------- the smoke test


@dataclass
class Smoke:
    """A throw-away home for the frozen program: its data, logs and settings all land here."""

    folder: Path

    @property
    def data_root(self) -> Path:
        return self.folder / ("localappdata" if IS_WINDOWS else "data")

    @property
    def data_folder(self) -> Path:
        return self.data_root / "jingyuan_desktop"

    @property
    def log_file(self) -> Path:
        if IS_WINDOWS:
            return self.data_folder / "Logs" / "jingyuan.log"
        return self.folder / "state" / "jingyuan_desktop" / "log" / "jingyuan.log"

    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("JINGYUAN_", "PYTHON", "XDG_", "QT_", "WIN_PD_OVERRIDE_"))
               and key not in ("VIRTUAL_ENV", "MPLBACKEND", "MPLCONFIGDIR")}
        home = self.folder / "home"
        runtime = self.folder / "runtime"
        for path in (home, runtime, self.data_root):
            path.mkdir(parents=True, exist_ok=True)
        runtime.chmod(0o700)
        env.update({
            "HOME": str(home),
            "XDG_DATA_HOME": str(self.folder / "data"),
            "XDG_STATE_HOME": str(self.folder / "state"),
            "XDG_CONFIG_HOME": str(self.folder / "config"),
            "XDG_CACHE_HOME": str(self.folder / "cache"),
            "XDG_RUNTIME_DIR": str(runtime),
            "WIN_PD_OVERRIDE_LOCAL_APPDATA": str(self.folder / "localappdata"),
            "QT_QPA_PLATFORM": "offscreen",
            # No zone database from the system, as on Windows: Asia/Shanghai must come from the bundle.
            "PYTHONTZPATH": "",
        })
        return env


def run_frozen(smoke: Smoke, name: str, *args: str, timeout: int = STEP_TIMEOUT_S,
               extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    program = executable(name)
    env = smoke.env() | (extra_env or {})
    try:
        result = subprocess.run([str(program), *args], cwd=smoke.folder, env=env, capture_output=True,
                                text=True, encoding="utf-8", errors="replace", timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise BuildError(f"{program.name} {' '.join(args)} 超过 {timeout} 秒未结束。",
                         f"{program.name} {' '.join(args)} did not finish within {timeout} s.") from None
    if result.returncode != 0:
        raise BuildError(
            f"{program.name} {' '.join(args)} 失败（退出码 {result.returncode}）：\n{result.stdout}{result.stderr}",
            f"{program.name} {' '.join(args)} failed (exit code {result.returncode}).")
    return result


def check_data_folder_is_redirected(smoke: Smoke) -> None:
    """Never let the smoke test touch the real data of the PC it runs on: the folder the program
    will use, asked of the same platformdirs that the bundle carries, must be the temporary one."""
    probe = "import platformdirs; print(platformdirs.user_data_dir('jingyuan_desktop', appauthor=False))"
    result = subprocess.run([sys.executable, "-c", probe], env=smoke.env(), capture_output=True, text=True,
                            check=False)
    folder = Path(result.stdout.strip() or ".")
    if result.returncode != 0 or folder.resolve() != smoke.data_folder.resolve():
        raise BuildError(
            f"无法把程序的数据文件夹指向临时文件夹（得到 {folder}），为免改动本机真实数据，冒烟测试停止。"
            "请升级 platformdirs（pip install -U platformdirs）后重试。",
            f"The program's data folder could not be redirected to a temporary one (got {folder}); the smoke test "
            "stops rather than touch this PC's real data. Upgrade platformdirs and try again.")


def check_pdf(pdf: Path, *, expect_text: str) -> str:
    """The PDF carries an embedded TrueType font and the Chinese text; returns what was checked."""
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise BuildError(f"没有生成 PDF：{pdf}", f"No PDF was written: {pdf}")
    checked = []
    pdffonts = shutil.which("pdffonts")
    if pdffonts:
        listing = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=False).stdout
        rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
        # Columns end with: emb sub uni object-number generation.
        embedded = [row for row in rows if len(row) >= 6 and row[-5] == "yes" and "TrueType" in " ".join(row)]
        if not embedded:
            raise BuildError(f"PDF 未嵌入 TrueType 中文字体：\n{listing}",
                             f"The PDF embeds no TrueType font:\n{listing}")
        checked.append(f"font {embedded[0][0]} embedded (pdffonts)")
    elif b"/FontFile2" not in pdf.read_bytes():
        raise BuildError("PDF 未嵌入 TrueType 字体（找不到 /FontFile2）。",
                         "The PDF embeds no TrueType font (/FontFile2).")
    else:
        checked.append("TrueType font program present (/FontFile2)")
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run([pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=False
                              ).stdout.decode("utf-8", errors="replace")
        if expect_text not in text:
            raise BuildError(f"PDF 中读不出文字“{expect_text}”。",
                             f"The text {expect_text!r} cannot be read from the PDF.")
        checked.append(f"text {expect_text} readable (pdftotext)")
    else:
        checked.append("text not checked (pdftotext not installed)")
    return "; ".join(checked)


def make_old_database(path: Path) -> str | None:
    """An empty database at the schema revision before the newest one, made with this checkout's
    own migration scripts: what a PC running the previous version has. None with one revision."""
    from alembic import command

    from jingyuan_desktop.store.migrate import alembic_config, script_directory

    revisions = list(script_directory().walk_revisions())  # newest first
    if len(revisions) < 2:
        return None
    previous = revisions[1].revision
    config = alembic_config()
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    command.upgrade(config, previous)
    return previous


def smoke_test(*, keep: bool) -> None:
    if not executable(bundle.CLI_EXE).is_file():
        raise BuildError(f"找不到 {executable(bundle.CLI_EXE)}：请先构建（去掉 --no-build）。",
                         f"{executable(bundle.CLI_EXE)} is missing: build first (drop --no-build).")
    folder = Path(tempfile.mkdtemp(prefix="jingyuan-smoke-"))
    smoke = Smoke(folder)
    say(f"== 冒烟测试 / smoke test of the frozen program (work folder {folder})")
    started = time.monotonic()
    passed = False
    try:
        check_data_folder_is_redirected(smoke)
        steps = [
            ("版本号 / version", step_version),
            ("建库 / database created in the data folder", step_init),
            ("演示数据 / demo town", step_demo),
            ("交办单 PDF / slip printed to PDF", step_slip),
            ("台账 / ledger .xlsx", step_ledger),
            ("审计链 / audit chain", step_audit),
            ("升级旧库 / upgrade of an older database", step_upgrade),
            ("窗口与组件 / window offscreen and bundled parts", step_window),
            ("日志 / log file", step_log),
        ]
        for number, (title, step) in enumerate(steps, 1):
            step_started = time.monotonic()
            detail = step(smoke)
            say(f"   [{number}/{len(steps)}] 通过 / ok  {title}: {detail} ({time.monotonic() - step_started:.1f} s)")
        passed = True
    except BuildError:
        if smoke.log_file.is_file():
            tail = smoke.log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
            say("   program log (last lines):\n      " + "\n      ".join(tail))
        raise
    finally:
        if passed and not keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            say(f"   work folder kept: {folder}")
    say(f"== 冒烟测试通过 / smoke test passed in {time.monotonic() - started:.0f} s")


def step_version(smoke: Smoke) -> str:
    version = bundle.project_version()
    output = run_frozen(smoke, bundle.CLI_EXE, "--version").stdout.strip()
    if output.split()[-1:] != [version]:
        raise BuildError(f"程序报告的版本“{output}”与 pyproject.toml 的 {version} 不符。",
                         f"The program says {output!r}, pyproject.toml says {version}.")
    return output


def step_init(smoke: Smoke) -> str:
    output = run_frozen(smoke, bundle.CLI_EXE, "init").stdout.strip()
    database = smoke.data_folder / "jingyuan.db"
    if not database.is_file():
        raise BuildError(f"数据库没有建在数据文件夹 {smoke.data_folder} 中：{output}",
                         f"The database was not created in the data folder {smoke.data_folder}: {output}")
    return f"{database.relative_to(smoke.folder)}"


def step_demo(smoke: Smoke) -> str:
    run_frozen(smoke, bundle.CLI_EXE, "demo", "--cases", str(SMOKE_CASES))
    out = smoke.folder / "cases.json"
    run_frozen(smoke, bundle.CLI_EXE, "export", "cases", "--out", str(out))
    cases = json.loads(out.read_text(encoding="utf-8"))["cases"]
    if len(cases) != SMOKE_CASES:
        raise BuildError(f"演示数据应有 {SMOKE_CASES} 个案件，导出了 {len(cases)} 个。",
                         f"The demo should hold {SMOKE_CASES} cases; {len(cases)} were exported.")
    return f"{len(cases)} cases"


def first_case_no(smoke: Smoke) -> str:
    cases = json.loads((smoke.folder / "cases.json").read_text(encoding="utf-8"))["cases"]
    return str(cases[0]["case_no"])


def step_slip(smoke: Smoke) -> str:
    case_no = first_case_no(smoke)
    pdf = smoke.folder / "slip.pdf"
    result = run_frozen(smoke, bundle.CLI_EXE, "print", "slip", case_no, "--out", str(pdf))
    if NOT_EMBEDDED_WARNING in result.stderr:
        raise BuildError(
            "交办单没有嵌入中文字体：本机找不到可嵌入的中文 TrueType 字体"
            "（Windows：微软雅黑、宋体或黑体；Linux：apt-get install fonts-wqy-microhei）。",
            "The slip has no embedded Chinese font: no embeddable Chinese TrueType font on this machine "
            "(Windows: Microsoft YaHei, SimSun or SimHei; Linux: apt-get install fonts-wqy-microhei).")
    return f"{case_no}; " + check_pdf(pdf, expect_text="交办单")


def step_ledger(smoke: Smoke) -> str:
    out = smoke.folder / "ledger.xlsx"
    run_frozen(smoke, bundle.CLI_EXE, "export", "ledger", "--out", str(out))
    with zipfile.ZipFile(out) as workbook:
        if "xl/workbook.xml" not in workbook.namelist():
            raise BuildError("台账文件不是有效的 .xlsx。", "The ledger is not a valid .xlsx file.")
    return f"{out.stat().st_size} bytes"


def step_audit(smoke: Smoke) -> str:
    return run_frozen(smoke, bundle.CLI_EXE, "audit", "--verify").stdout.strip()


def step_upgrade(smoke: Smoke) -> str:
    old = smoke.folder / "older" / "jingyuan.db"
    old.parent.mkdir()
    try:
        revision = make_old_database(old)
    except Exception as error:  # the checkout's own scripts: report, do not hide
        raise BuildError(f"无法用本源码的迁移脚本建立旧版本数据库：{error}",
                         f"Could not make an older database with this checkout's migrations: {error}") from error
    if revision is None:
        return "skipped: the schema has a single revision"
    run_frozen(smoke, bundle.CLI_EXE, "--db", str(old), "init")
    copies = sorted(old.parent.glob("jingyuan.backup-before-*.db"))
    if not copies:
        raise BuildError("升级旧数据库前没有留下备份。", "No copy of the older database was kept before upgrading it.")
    return f"from revision {revision}, copy {copies[0].name} kept"


def step_window(smoke: Smoke) -> str:
    result = run_frozen(smoke, bundle.WINDOW_EXE, timeout=WINDOW_TIMEOUT_S,
                        extra_env={"JINGYUAN_FROZEN_CHECK": str(smoke.folder)})
    report = smoke.folder / "frozen-check.txt"
    lines = report.read_text(encoding="utf-8").splitlines() if report.is_file() else []
    for line in lines:
        say(f"      {line}")
    if not lines or lines[-1] != "ALL PASSED":
        raise BuildError(f"窗口或打包组件检查未通过：\n{result.stdout}{result.stderr}",
                         "The window or a bundled part failed its check (see above).")
    backups = sorted((smoke.data_folder / "backups").glob("*.db"))
    return f"{len(lines) - 1} checks, daily backup {backups[0].name if backups else '?'}"


def step_log(smoke: Smoke) -> str:
    if not smoke.log_file.is_file():
        raise BuildError(f"没有写日志文件：{smoke.log_file}", f"No log file was written: {smoke.log_file}")
    text = smoke.log_file.read_text(encoding="utf-8", errors="replace")
    if "window closed" not in text:
        raise BuildError("日志中没有窗口正常关闭的记录。", "The log does not record the window closing.")
    return str(smoke.log_file.relative_to(smoke.folder))


# ---------------------------------------------------------------- command line


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python installer/build.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="after the build, run the frozen program's smoke test")
    parser.add_argument("--no-build", action="store_true", help="use the dist/jingyuan/ already built")
    parser.add_argument("--no-installer", action="store_true", help="do not run Inno Setup")
    parser.add_argument("--require-installer", action="store_true",
                        help="fail when the installer cannot be made (Windows CI)")
    parser.add_argument("--estimate-installer", action="store_true",
                        help="report an estimate of the installer's size from an LZMA2 archive of the folder")
    parser.add_argument("--keep", action="store_true", help="keep the smoke test's work folder")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    started = time.monotonic()
    try:
        if not args.no_build:
            check_build_environment()
            run_pyinstaller()
        if not BUNDLE_DIR.is_dir():
            raise BuildError(f"找不到 {BUNDLE_DIR}：请先构建。", f"{BUNDLE_DIR} does not exist: build first.")
        report_bundle_size()
        if args.estimate_installer:
            estimate_installer_size()
        if args.smoke:
            smoke_test(keep=args.keep)
        if (IS_WINDOWS or args.require_installer) and not args.no_installer:
            if not IS_WINDOWS:
                raise BuildError("安装程序只能在 Windows 上生成。", "The installer can only be built on Windows.")
            build_installer(required=args.require_installer)
    except BuildError as error:
        say(f"\n失败 / FAILED\n{error.zh}\n{error.en}")
        return 1
    except KeyboardInterrupt:
        say("已中断 / interrupted")
        return 1
    say(f"完成 / done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
