"""installer/build.py without building: what it finds, what it says when something is missing.

The build itself and the frozen program's smoke test take minutes and are a command of their own:
``python installer/build.py --smoke`` (installer/README.md).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import bundle
import pytest

from .conftest import INSTALLER, ROOT, load_build_script

build = load_build_script()


def test_the_smoke_command_is_documented():
    readme = (INSTALLER / "README.md").read_text(encoding="utf-8")
    assert "python installer/build.py --smoke" in readme
    assert "python installer\\build.py" in readme


def test_the_build_extra_brings_pyinstaller():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'build = ["pyinstaller' in pyproject


def test_outputs_land_in_the_ignored_folders():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "build/" in ignored and "dist/" in ignored
    assert build.DIST == ROOT / "dist" and build.WORK == ROOT / "build"
    assert build.INSTALLER_EXE.name == "警源治理工作台-安装程序.exe"


def test_inno_setup_is_found_where_the_variable_points(tmp_path: Path, monkeypatch):
    iscc = tmp_path / "ISCC.exe"
    iscc.write_bytes(b"")
    monkeypatch.setenv("ISCC", str(iscc))
    assert build.find_iscc() == iscc


def test_the_chinese_messages_come_from_inno_setup_or_beside_the_script(tmp_path: Path, monkeypatch):
    iscc = tmp_path / "Inno Setup 6" / "ISCC.exe"
    (iscc.parent / "Languages").mkdir(parents=True)
    monkeypatch.setattr(build, "ISS", tmp_path / "windows" / "jingyuan.iss")
    assert build.find_chinese_messages(iscc) is None
    beside = tmp_path / "windows" / "ChineseSimplified.isl"
    beside.parent.mkdir()
    beside.write_text("[LangOptions]\n", encoding="utf-8")
    assert build.find_chinese_messages(iscc) == beside
    shipped = iscc.parent / "Languages" / "ChineseSimplified.isl"
    shipped.write_text("[LangOptions]\n", encoding="utf-8")
    assert build.find_chinese_messages(iscc) == shipped


def test_without_inno_setup_the_folder_is_built_and_the_reason_given(monkeypatch, capsys):
    monkeypatch.setattr(build, "find_iscc", lambda: None)
    assert build.build_installer(required=False) is None
    said = capsys.readouterr().out
    assert "未找到 Inno Setup" in said and "Inno Setup's compiler (ISCC.exe) was not found" in said
    with pytest.raises(build.BuildError, match=r"Inno Setup 6\.5"):
        build.build_installer(required=True)


def test_a_missing_chinese_messages_file_stops_the_build_with_its_name(tmp_path: Path, monkeypatch):
    iscc = tmp_path / "ISCC.exe"
    monkeypatch.setattr(build, "find_iscc", lambda: iscc)
    monkeypatch.setattr(build, "ISS", tmp_path / "windows" / "jingyuan.iss")
    with pytest.raises(build.BuildError) as raised:
        build.build_installer(required=False)
    assert "ChineseSimplified.isl" in raised.value.zh and "ChineseSimplified.isl" in raised.value.en


def test_smoke_without_a_bundle_fails_with_a_message(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setattr(build, "BUNDLE_DIR", tmp_path / "nothing")
    assert build.main(["--smoke", "--no-build", "--no-installer"]) == 1
    said = capsys.readouterr().out
    assert "失败 / FAILED" in said and "build first" in said


def test_the_smoke_test_never_uses_the_real_data_folder(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("JINGYUAN_LOG_DIR", "/somewhere/else")
    smoke = build.Smoke(tmp_path)
    env = smoke.env()
    assert env["QT_QPA_PLATFORM"] == "offscreen"
    assert env["PYTHONTZPATH"] == ""  # the zone database must come from the bundle, as on Windows
    assert "JINGYUAN_LOG_DIR" not in env
    for name in ("HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "WIN_PD_OVERRIDE_LOCAL_APPDATA"):
        assert Path(env[name]).is_relative_to(tmp_path)
    build.check_data_folder_is_redirected(smoke)  # platformdirs agrees: the folder is the temporary one
    assert smoke.data_folder.is_relative_to(tmp_path)
    assert smoke.log_file.is_relative_to(tmp_path)


def test_a_pdf_without_an_embedded_font_is_refused(tmp_path: Path):
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "helvetica.pdf"
    page = canvas.Canvas(str(pdf))
    page.drawString(100, 700, "no embedded font")
    page.save()
    with pytest.raises(build.BuildError):
        build.check_pdf(pdf, expect_text="no embedded font")
    with pytest.raises(build.BuildError):
        build.check_pdf(tmp_path / "missing.pdf", expect_text="x")


def test_the_frozen_entry_point_runs_the_checks_only_when_asked():
    entry = (INSTALLER / "entry.py").read_text(encoding="utf-8")
    assert 'os.environ.get("JINGYUAN_FROZEN_CHECK") and len(sys.argv) == 1' in entry
    assert "sys.exit(main())" in entry


@pytest.mark.skipif(sys.platform == "win32", reason="the executables' names on Linux")
def test_the_executables_are_named_as_the_shortcuts_expect():
    assert build.executable(bundle.WINDOW_EXE).name == "jingyuan"
    assert build.executable(bundle.CLI_EXE).name == "jingyuan-cli"
    assert os.sep not in bundle.INSTALLER_BASENAME
