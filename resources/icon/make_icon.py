"""Draw the program's icon: a white shield with a check mark on a blue rounded square.

Run with the project's Python (Qt draws it, no window needed):
``QT_QPA_PLATFORM=offscreen python resources/icon/make_icon.py``. It writes beside itself

* jingyuan-16.png … jingyuan-256.png - the window icon (jingyuan_desktop/ui/app.py), one file
  per size so the small ones are drawn for their size rather than scaled down;
* jingyuan.ico - the same pictures for Windows: the .exe files (installer/jingyuan.spec), the
  installer and its Start-menu and desktop shortcuts (installer/windows/jingyuan.iss).

Only shapes, no text or font, so the picture does not depend on the fonts of the machine.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath, QPen

HERE = Path(__file__).resolve().parent
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 256)  # what Explorer, the taskbar and shortcuts ask for
ICO_PNG_FROM = 256  # sizes from this up are stored as PNG inside the .ico, smaller ones as bitmaps

BLUE_TOP = QColor("#2a6bc4")
BLUE_BOTTOM = QColor("#17457f")
SHIELD = QColor("#ffffff")
CHECK = QColor("#1d5aa8")
ALERT = QColor("#e0463a")  # the small red light on the shield's top: 警


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 256, size / 256)  # everything below is drawn on a 256 x 256 grid

    # Background: a rounded square, a little smaller than the full square at tiny sizes so the
    # edge pixels are not all half-covered.
    margin = 8 if size >= 32 else 4
    gradient = QLinearGradient(0, 0, 0, 256)
    gradient.setColorAt(0, BLUE_TOP)
    gradient.setColorAt(1, BLUE_BOTTOM)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(gradient))
    painter.drawRoundedRect(QRectF(margin, margin, 256 - 2 * margin, 256 - 2 * margin), 48, 48)

    # The shield: flat top with rounded shoulders, sides curving into a point.
    shield = QPainterPath()
    shield.moveTo(128, 40)
    shield.cubicTo(QPointF(158, 58), QPointF(186, 64), QPointF(206, 62))
    shield.lineTo(206, 120)
    shield.cubicTo(QPointF(206, 170), QPointF(174, 204), QPointF(128, 226))
    shield.cubicTo(QPointF(82, 204), QPointF(50, 170), QPointF(50, 120))
    shield.lineTo(50, 62)
    shield.cubicTo(QPointF(70, 64), QPointF(98, 58), QPointF(128, 40))
    shield.closeSubpath()
    painter.setBrush(SHIELD)
    painter.drawPath(shield)

    # The check mark: a thick stroke, thicker still when small so it stays visible at 16 px.
    width = 30 if size >= 48 else 38
    pen = QPen(CHECK, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    check = QPainterPath()
    check.moveTo(88, 132)
    check.lineTo(118, 162)
    check.lineTo(170, 104)
    painter.drawPath(check)

    # A red light on the shield's top edge; left out below 32 px where it would be a smudge.
    if size >= 32:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ALERT)
        painter.drawEllipse(QPointF(128, 74), 13, 13)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def bitmap_bytes(image: QImage) -> bytes:
    """An .ico bitmap entry: a BITMAPINFOHEADER, 32-bit BGRA rows bottom-up, an empty AND mask."""
    size = image.width()
    straight = image.convertToFormat(QImage.Format.Format_ARGB32)  # BGRA bytes on little-endian
    row = size * 4
    bits = bytes(straight.constBits())[: row * size]
    pixels = b"".join(bits[y * row:(y + 1) * row] for y in reversed(range(size)))
    mask_row = ((size + 31) // 32) * 4
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, len(pixels), 0, 0, 0, 0)
    return header + pixels + bytes(mask_row * size)


def ico_bytes(images: dict[int, QImage]) -> bytes:
    entries = []
    for size, image in sorted(images.items()):
        entries.append((size, png_bytes(image) if size >= ICO_PNG_FROM else bitmap_bytes(image)))
    offset = 6 + 16 * len(entries)
    directory = struct.pack("<HHH", 0, 1, len(entries))
    blobs = b""
    for size, blob in entries:
        side = 0 if size >= 256 else size  # 0 means 256 in an icon directory
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs += blob
    return directory + blobs


def main() -> int:
    QGuiApplication.instance() or QGuiApplication(sys.argv)
    images = {size: draw(size) for size in sorted(set(PNG_SIZES) | set(ICO_SIZES))}
    for size in PNG_SIZES:
        (HERE / f"jingyuan-{size}.png").write_bytes(png_bytes(images[size]))
    (HERE / "jingyuan.ico").write_bytes(ico_bytes({size: images[size] for size in ICO_SIZES}))
    print(f"written: {', '.join(f'jingyuan-{s}.png' for s in PNG_SIZES)}, jingyuan.ico")
    return 0


if __name__ == "__main__":
    sys.exit(main())
