"""The program's icon: the .ico of the .exe files and the installer, the PNGs of the window."""

from __future__ import annotations

import struct

from PySide6.QtGui import QImage

from jingyuan_desktop.ui.app import make_application, program_icon

from .conftest import ROOT

ICON = ROOT / "resources" / "icon"


def ico_sizes(data: bytes) -> list[int]:
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = []
    for index in range(count):
        width, _height, _colours, _reserved, _planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index)
        assert bits == 32 and offset + length <= len(data)
        sizes.append(width or 256)
    return sizes


def test_the_ico_holds_every_size_windows_asks_for():
    sizes = ico_sizes((ICON / "jingyuan.ico").read_bytes())
    assert {16, 24, 32, 48, 256} <= set(sizes)


def test_the_window_icon_has_one_picture_per_size(qapp):
    for size in (16, 32, 48, 256):
        image = QImage(str(ICON / f"jingyuan-{size}.png"))
        assert (image.width(), image.height()) == (size, size)
    icon = program_icon()
    assert not icon.isNull()
    assert {s.width() for s in icon.availableSizes()} >= {16, 32, 48, 256}


def test_the_application_carries_the_icon(qapp):
    app = make_application()
    assert not app.windowIcon().isNull()


def test_the_script_that_draws_it_is_kept_beside_it():
    script = (ICON / "make_icon.py").read_text(encoding="utf-8")
    assert "jingyuan.ico" in script and "QPainter" in script
