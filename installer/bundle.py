"""What goes into the frozen program and what stays out.

Read by jingyuan.spec (PyInstaller), build.py and tests/installer, so the three agree. Plain
Python with no PyInstaller import: the tests load it without PyInstaller installed.
"""

from __future__ import annotations

import posixpath
import re
import tomllib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent

APP_NAME = "警源治理工作台"  # shortcuts, Add/Remove Programs, the installer's title
BUNDLE_NAME = "jingyuan"  # dist/jingyuan/
WINDOW_EXE = "jingyuan"  # the window, no console (jingyuan.exe)
CLI_EXE = "jingyuan-cli"  # the command line (jingyuan-cli.exe), same subcommands as `jingyuan`
INSTALLER_BASENAME = f"{APP_NAME}-安装程序"  # dist/警源治理工作台-安装程序.exe
ICON_ICO = ROOT / "resources" / "icon" / "jingyuan.ico"


def project_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The one version number: [project] version of pyproject.toml."""
    with open(pyproject, "rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """"0.1.0" -> (0, 1, 0, 0) for the Windows file version; a suffix such as "rc1" is dropped."""
    numbers = [int(match.group()) if (match := re.match(r"\d+", part)) else 0 for part in version.split(".")[:4]]
    numbers += [0] * (4 - len(numbers))
    return numbers[0], numbers[1], numbers[2], numbers[3]


# Modules that PyInstaller would otherwise follow from optional imports of the libraries, none of
# which the program uses. tests/installer checks that no module of jingyuan_desktop imports one.
EXCLUDED_MODULES = (
    # Qt modules the program does not use (it uses QtCore, QtGui, QtWidgets, QtPrintSupport,
    # QtPdf, QtPdfWidgets; QtNetwork, QtDBus and QtSvg come along as their dependencies).
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel", "PySide6.QtWebSockets", "PySide6.QtWebView", "PySide6.QtHttpServer",
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuickControls2",
    "PySide6.QtQuick3D", "PySide6.QtQuickTest", "PySide6.QtPdfQuick",
    "PySide6.Qt3DCore", "PySide6.Qt3DRender", "PySide6.Qt3DInput", "PySide6.Qt3DLogic",
    "PySide6.Qt3DExtras", "PySide6.Qt3DAnimation",
    "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets", "PySide6.QtSpatialAudio", "PySide6.QtTextToSpeech",
    "PySide6.QtCharts", "PySide6.QtDataVisualization", "PySide6.QtGraphs", "PySide6.QtGraphsWidgets",
    "PySide6.QtBluetooth", "PySide6.QtNfc", "PySide6.QtPositioning", "PySide6.QtLocation",
    "PySide6.QtSensors", "PySide6.QtSerialPort", "PySide6.QtSerialBus", "PySide6.QtRemoteObjects",
    "PySide6.QtScxml", "PySide6.QtStateMachine", "PySide6.QtNetworkAuth",
    "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtUiTools",
    "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtSvgWidgets", "PySide6.QtXml",
    "PySide6.QtConcurrent", "PySide6.QtAxContainer",
    # Other Qt bindings (matplotlib and Pillow look for any of them).
    "PyQt5", "PyQt6", "PySide2", "shiboken2", "sip",
    # matplotlib: other GUI toolkits' backends; the Qt one stays (see MATPLOTLIB_BACKENDS).
    "tkinter", "_tkinter", "wx", "gi", "cairo", "cairocffi", "IPython", "ipykernel", "jupyter_core",
    "PIL.ImageTk", "PIL._imagingtk", "PIL.ImageQt",
    # Pillow codecs for AVIF and WebP images with their large libraries: the charts and the
    # icon are PNG.
    "PIL._avif", "PIL._webp",
    # Declared by the project but imported by none of its modules; openpyxl and matplotlib
    # import it only when it is there.
    "pandas", "pytz", "scipy", "numexpr", "bottleneck", "pyarrow", "jinja2",
    # Test frameworks and tests of the bundled libraries, and tools the program never runs.
    "pytest", "_pytest", "pluggy", "iniconfig", "pytestqt", "py",
    "numpy.tests", "numpy.testing.tests", "numpy.f2py", "numpy.distutils",
    "matplotlib.tests", "matplotlib.testing", "mpl_toolkits.tests",
    "sqlalchemy.testing", "alembic.testing", "openpyxl.tests", "psycopg.tests",
    "reportlab.graphics.testshapes", "fontTools.tests",
    "pygments", "docutils", "sphinx", "mypy", "ruff", "setuptools", "pkg_resources", "pip",
    "lib2to3", "idlelib", "turtledemo", "ensurepip", "venv",
)

# Imported at run time by name, so PyInstaller cannot see them in the code.
HIDDEN_IMPORTS = (
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql",
    "psycopg",  # a PostgreSQL server URL (several PCs on one database)
    "matplotlib.backends.backend_qtagg",
    "matplotlib.backends.backend_pdf",  # a chart's 保存为 PDF… (savefig picks the backend by suffix)
    "openpyxl",
    "tzdata",  # zoneinfo's database on Windows, which has none of its own: Asia/Shanghai
    "_rl_accel",  # reportlab's C helpers (reportlab[accel]), imported inside a try
)

# Packages whose every submodule is collected: reportlab's barcode widgets import each
# symbology through exec() of a string, which PyInstaller cannot follow (the slip's QR code).
HIDDEN_PACKAGES = ("reportlab.graphics.barcode",)

# hooksconfig of PyInstaller's matplotlib hook: only these backends are collected.
MATPLOTLIB_BACKENDS = ["QtAgg", "pdf"]

# Qt's own translations: the program installs qtbase_zh_CN (through qt_zh_CN) only.
QT_TRANSLATION_SUFFIX = "_zh_CN.qm"

# Qt plugin folders the program has no use for: touch-screen and kiosk platforms, network
# status and TLS (no QtNetwork use of its own), Wayland (Qt falls back to X11 on Linux).
DROPPED_QT_PLUGIN_TYPES = frozenset({
    "egldeviceintegrations", "generic", "networkinformation", "tls", "wayland-decoration-client",
    "wayland-graphics-integration-client", "wayland-shell-integration", "wayland-inputdevice-integration",
    "multimedia", "qmltooling", "position", "sensors", "sqldrivers", "webview", "renderers",
    "sceneparsers", "geometryloaders", "texttospeech", "canbus", "designer",
})
# Single platform, theme and image-format plugins not needed: the desktop platforms (windows,
# xcb, cocoa), offscreen and minimal stay; PNG, JPEG, GIF, ICO and SVG images stay. On Linux the
# GTK theme goes (it alone pulls in about 10 MB of GTK's libraries): Qt's own style and dialogs.
DROPPED_QT_PLUGINS = frozenset({
    "qeglfs", "qlinuxfb", "qminimalegl", "qvkkhrdisplay", "qvnc", "qwayland", "qwayland-egl",
    "qwayland-generic", "qdirect2d", "qgtk3", "qtiff", "qwebp", "qicns", "qtga", "qwbmp", "qpdf",
})
# Qt libraries that only the dropped plugins load.
DROPPED_QT_LIBRARIES = frozenset({
    "Qt6WaylandClient", "Qt6WlShellIntegration", "Qt6WaylandEglClientHwIntegration",
    "Qt6EglFSDeviceIntegration", "Qt6EglFsKmsSupport", "Qt6EglFsKmsGbmSupport",
})
# Windows only: the software OpenGL renderer (about 20 MB). The windows are drawn with
# QPainter (the raster engine); nothing in the program asks for OpenGL.
DROPPED_WINDOWS_DLLS = frozenset({"opengl32sw.dll"})

# matplotlib data not needed: its example data and the STIX fonts (mathtext falls back to the
# Computer Modern fonts, which stay; the charts' text is set in the PC's Chinese font).
DROPPED_MPL_DATA = ("matplotlib/mpl-data/sample_data/", "matplotlib/mpl-data/fonts/ttf/STIX")


def _parts(dest: str) -> PurePosixPath:
    return PurePosixPath(dest.replace("\\", "/"))


def _library_stem(name: str) -> str:
    """libQt6WaylandClient.so.6 -> Qt6WaylandClient; Qt6WaylandClient.dll -> Qt6WaylandClient;
    libqxcb.so / qwindows.dll -> qxcb / qwindows."""
    stem = name.split(".")[0]
    return stem[3:] if stem.startswith("lib") else stem


def keep_data(dest: str) -> bool:
    """Whether a data file, by its path inside the bundle, goes into it."""
    path = _parts(dest)
    text = str(path)
    if "translations" in path.parts and path.suffix == ".qm" and "PySide6" in path.parts:
        return path.name.endswith(QT_TRANSLATION_SUFFIX) and path.name.startswith("qt")
    if any(text.startswith(prefix) for prefix in DROPPED_MPL_DATA):
        return False
    if path.parts[:1] == ("resources",) and (path.suffix == ".py" or "__pycache__" in path.parts):
        return False  # the scripts that make the resources, not resources
    # Tests of the bundled libraries that arrive as data files.
    return not ({"tests", "testing"} & set(path.parts[:-1]))


def keep_binary(dest: str) -> bool:
    """Whether a shared library or plugin, by its path inside the bundle, goes into it."""
    path = _parts(dest)
    if path.name.lower() in DROPPED_WINDOWS_DLLS:
        return False
    stem = _library_stem(path.name)
    if stem in DROPPED_QT_LIBRARIES:
        return False
    parts = path.parts
    if "plugins" in parts:
        index = parts.index("plugins")
        kind = parts[index + 1] if index + 1 < len(parts) - 1 else ""
        if kind in DROPPED_QT_PLUGIN_TYPES:
            return False
        if kind in ("platforms", "platformthemes", "imageformats") and stem in DROPPED_QT_PLUGINS:
            return False
    return True


def symlink_target(dest: str, target: str) -> str:
    """Where a SYMLINK entry (``dest`` pointing at ``target``, relative to dest's folder) leads,
    as a path inside the bundle."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(dest.replace("\\", "/")), target.replace("\\", "/")))


def without_dangling_symlinks(entries: list[tuple[str, str, str]], kept: set[str]) -> list[tuple[str, str, str]]:
    """PyInstaller links some libraries to the top folder; once their target is dropped the
    link must go too."""
    return [entry for entry in entries if entry[2] != "SYMLINK" or symlink_target(entry[0], entry[1]) in kept]


def unneeded_top_level_libraries(binaries: list[tuple[str, str, str]],
                                 needed_names: Callable[[str], set[str]]) -> set[str]:
    """Linux: system libraries collected only for what was dropped (the GTK theme's GTK, the
    Wayland client's libraries). A library directly in the bundle's top folder stays when a
    kept binary needs it; ``needed_names(source_path)`` gives the names a binary loads, with
    all of theirs (what ldd prints)."""
    candidates = {dest for dest, _, kind in binaries
                  if kind == "BINARY" and "/" not in dest.replace("\\", "/") and not dest.startswith("libpython")}
    needed: set[str] = set()
    for dest, source, kind in binaries:
        if dest not in candidates and kind in ("BINARY", "EXTENSION"):
            needed |= needed_names(source)
    return candidates - needed
