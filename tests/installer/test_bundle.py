"""What the frozen program carries (installer/bundle.py, read by installer/jingyuan.spec)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import bundle
import pytest

import jingyuan_desktop

from .conftest import INSTALLER, ROOT

SPEC = (INSTALLER / "jingyuan.spec").read_text(encoding="utf-8")


def test_the_version_is_the_one_of_pyproject_and_the_program_says_it():
    with open(ROOT / "pyproject.toml", "rb") as handle:
        declared = tomllib.load(handle)["project"]["version"]
    assert bundle.project_version() == declared
    assert jingyuan_desktop.__version__ == declared  # what `jingyuan --version` prints


def test_the_version_is_read_from_the_given_pyproject(tmp_path: Path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\nversion = "2.3.1"\n', encoding="utf-8")
    assert bundle.project_version(pyproject) == "2.3.1"


@pytest.mark.parametrize(("version", "numbers"), [
    ("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)), ("2.0.1rc1", (2, 0, 1, 0)), ("1.2.3.4.5", (1, 2, 3, 4)),
])
def test_the_windows_file_version_has_four_numbers(version, numbers):
    assert bundle.version_tuple(version) == numbers


def test_the_spec_takes_its_lists_from_bundle_py():
    assert "excludes=list(bundle.EXCLUDED_MODULES)" in SPEC
    assert "bundle.HIDDEN_IMPORTS" in SPEC and "bundle.HIDDEN_PACKAGES" in SPEC
    assert '"matplotlib": {"backends": bundle.MATPLOTLIB_BACKENDS}' in SPEC
    assert "bundle.keep_data(" in SPEC and "bundle.keep_binary(" in SPEC
    assert "console=False" in SPEC and "console=True" in SPEC
    assert "name=bundle.WINDOW_EXE" in SPEC and "name=bundle.CLI_EXE" in SPEC
    assert "icon=ICON" in SPEC and bundle.ICON_ICO.is_file()


@pytest.mark.parametrize("module", [
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtQuick", "PySide6.QtQml",
    "PySide6.Qt3DCore", "PySide6.Qt3DRender", "PySide6.QtMultimedia", "PySide6.QtCharts",
    "PyQt5", "PyQt6", "PySide2", "tkinter", "pytest", "pandas", "IPython", "numpy.tests", "matplotlib.tests",
])
def test_the_listed_modules_are_left_out(module):
    assert module in bundle.EXCLUDED_MODULES


def test_matplotlib_keeps_only_its_qt_backend_and_the_pdf_one_for_saving_charts():
    assert bundle.MATPLOTLIB_BACKENDS == ["QtAgg", "pdf"]
    assert "matplotlib.backends.backend_pdf" in bundle.HIDDEN_IMPORTS


def test_what_is_loaded_by_name_is_collected():
    for name in ("tzdata", "psycopg", "sqlalchemy.dialects.sqlite", "sqlalchemy.dialects.postgresql", "openpyxl"):
        assert name in bundle.HIDDEN_IMPORTS
    assert "reportlab.graphics.barcode" in bundle.HIDDEN_PACKAGES  # the slip's QR code
    assert 'collect_data_files("tzdata")' in SPEC  # Asia/Shanghai on Windows


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_no_module_of_the_program_imports_a_module_left_out_of_the_bundle():
    """A module left out would be missing only in the frozen program, where no test runs."""
    package = ROOT / "jingyuan_desktop"
    offending = []
    for path in sorted(package.rglob("*.py")):
        for name in _imports(path):
            hit = next((ex for ex in bundle.EXCLUDED_MODULES if name == ex or name.startswith(ex + ".")), None)
            if hit:
                offending.append(f"{path.relative_to(ROOT)} imports {name} ({hit} is excluded)")
    assert not offending, "\n".join(offending)


@pytest.mark.parametrize(("dest", "kept"), [
    ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
    ("PySide6/Qt/translations/qt_zh_CN.qm", True),
    ("PySide6/translations/qtbase_zh_CN.qm", True),  # the Windows wheel's layout
    ("PySide6/Qt/translations/qtbase_de.qm", False),
    ("PySide6/Qt/translations/qt_ja.qm", False),
    ("matplotlib/mpl-data/sample_data/goog.npz", False),
    ("matplotlib/mpl-data/fonts/ttf/STIXGeneral.ttf", False),
    ("matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf", True),
    ("matplotlib/mpl-data/fonts/ttf/cmr10.ttf", True),  # mathtext's fallback
    ("matplotlib/mpl-data/matplotlibrc", True),
    ("resources/demo/town.json", True),
    ("resources/icon/jingyuan-32.png", True),
    ("resources/icon/make_icon.py", False),
    ("resources/samples/make_samples.py", False),
    ("jingyuan_desktop/store/migrations/versions/0001_initial.py", True),
    ("somelib/tests/data.json", False),
    ("tzdata/zoneinfo/Asia/Shanghai", True),
])
def test_data_files(dest, kept):
    assert bundle.keep_data(dest) is kept


@pytest.mark.parametrize(("dest", "kept"), [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/plugins/platforms/qwindows.dll", True),
    ("PySide6/plugins/styles/qmodernwindowsstyle.dll", True),
    ("PySide6/plugins/printsupport/windowsprintersupport.dll", True),
    ("PySide6/Qt/plugins/imageformats/libqico.so", True),
    ("PySide6/plugins/imageformats/qjpeg.dll", True),
    ("PySide6/plugins/imageformats/qsvg.dll", True),
    ("PySide6/plugins/imageformats/qtiff.dll", False),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
    ("PySide6/plugins/networkinformation/qnetworklistmanager.dll", False),
    ("PySide6/Qt/lib/libQt6WaylandClient.so.6", False),
    ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
    ("PySide6/opengl32sw.dll", False),
    ("PySide6/Qt6Pdf.dll", True),
    ("python311.dll", True),
])
def test_binaries(dest, kept):
    assert bundle.keep_binary(dest) is kept


def test_a_link_whose_target_was_dropped_goes_too():
    entries = [("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
               ("libQt6WaylandClient.so.6", "PySide6/Qt/lib/libQt6WaylandClient.so.6", "SYMLINK"),
               ("PySide6/Qt/lib/libQt6Gui.so.6", "/site/PySide6/Qt/lib/libQt6Gui.so.6", "BINARY")]
    kept = bundle.without_dangling_symlinks(entries, {"PySide6/Qt/lib/libQt6Gui.so.6"})
    assert [entry[0] for entry in kept] == ["libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6"]
    assert bundle.symlink_target("a/b/link.so", "../c/real.so") == "a/c/real.so"


def test_system_libraries_that_only_dropped_plugins_needed_are_dropped():
    binaries = [
        ("libpython3.11.so.1.0", "/py/libpython3.11.so.1.0", "BINARY"),
        ("libX11.so.6", "/usr/lib/libX11.so.6", "BINARY"),
        ("libcairo.so.2", "/usr/lib/libcairo.so.2", "BINARY"),
        ("libxcb.so.1", "/usr/lib/libxcb.so.1", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/site/libqxcb.so", "BINARY"),
        ("_ssl.cpython-311-x86_64-linux-gnu.so", "/py/_ssl.so", "EXTENSION"),
    ]
    loads = {"/site/libqxcb.so": {"libX11.so.6", "libxcb.so.1"}, "/py/_ssl.so": {"libc.so.6"}}
    assert bundle.unneeded_top_level_libraries(binaries, lambda path: loads.get(path, set())) == {"libcairo.so.2"}
