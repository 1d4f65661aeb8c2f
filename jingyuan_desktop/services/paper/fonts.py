"""The Chinese font the paper forms are set in.

A PDF carries its fonts only when they are embedded, and reportlab embeds TrueType outlines
only: a CFF-outline font (Noto Sans CJK, Source Han, most .otf) is skipped. The built-in
STSong-Light CID font is the last resort, because a PDF that relies on it shows boxes or a
substitute on a machine without the Adobe Asian font pack; pages set in it carry a warning.
"""

from __future__ import annotations

import logging
import sys
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)

FONT_SETTING_KEY = "paper_font"
FALLBACK_FONT = "STSong-Light"
NOT_EMBEDDED_WARNING = "本PDF未嵌入字体，在其他电脑上可能显示异常"
# The same warning in a standard PDF font that every viewer has: on a machine that lacks the
# Chinese font the Chinese warning itself would be invisible, and this line still shows.
NOT_EMBEDDED_WARNING_LATIN = "Fonts not embedded: the Chinese text of this PDF may not display on other computers."

# File names tried in order on each platform; only files with TrueType (glyf) outlines can be
# embedded, so the CFF-outline Noto Sans CJK and Source Han are not among them.
WINDOWS_FILES = ("msyh.ttc", "msyh.ttf", "simsun.ttc", "simhei.ttf")
LINUX_FILES = ("wqy-microhei.ttc", "wqy-zenhei.ttc", "DroidSansFallbackFull.ttf", "DroidSansFallback.ttf")
MAC_FILES = ("STHeiti Light.ttc", "STHeiti Medium.ttc", "Arial Unicode.ttf", "Songti.ttc")


@dataclass(frozen=True)
class PaperFont:
    """The font registered with reportlab under ``name``; ``warning`` is set when not embedded."""

    name: str
    path: str = ""
    embedded: bool = True
    warning: str | None = None


_lock = threading.Lock()
_registered: dict[str, PaperFont] = {}
_unusable: set[str] = set()


def candidate_paths(configured: str | None = None, platform: str | None = None) -> list[Path]:
    """Font files to try, best first: the office's own choice, then the platform's usual fonts."""
    platform = platform or sys.platform
    found: list[Path] = []
    if configured:
        found.append(Path(configured).expanduser())
    names = WINDOWS_FILES if platform.startswith("win") else MAC_FILES if platform == "darwin" else LINUX_FILES
    found += _installed(names)
    return [path for path in found if path.is_file()]


def _installed(names: tuple[str, ...]) -> list[Path]:
    """The installed font files named ``names``, ordered by the preference of ``names``.

    matplotlib knows where each platform keeps its fonts (the Windows registry, for the
    system's and the user's own; fontconfig; the macOS font folders), and the charts use it too.
    """
    # Imported here: matplotlib reads its font list on import, which only printing needs.
    from matplotlib import font_manager

    rank = {name.lower(): index for index, name in enumerate(names)}
    hits = [Path(file) for file in font_manager.findSystemFonts() if Path(file).name.lower() in rank]
    return sorted(hits, key=lambda path: (rank[path.name.lower()], str(path)))


def has_truetype_outlines(path: Path) -> bool:
    """False for CFF-based fonts ('OTTO' signature), which reportlab cannot embed."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
            if head[:4] == b"ttcf":
                # A collection: look at the first member font's own signature.
                offset = int.from_bytes(head[12:16], "big")
                handle.seek(offset)
                head = handle.read(4)
    except OSError:
        return False
    return head[:4] != b"OTTO"


def _try_register(path: Path) -> PaperFont | None:
    if not has_truetype_outlines(path):
        return None
    name = f"JingyuanCJK-{zlib.crc32(str(path).encode()):08x}"
    try:
        font = TTFont(name, str(path), subfontIndex=0)
    except Exception:  # reportlab raises several types for fonts it cannot read or embed
        logger.info("font %s cannot be embedded, trying the next", path, exc_info=True)
        return None
    if ord("中") not in font.face.charToGlyph:
        return None  # a Latin font configured by mistake would print empty boxes
    pdfmetrics.registerFont(font)
    return PaperFont(name=name, path=str(path))


def paper_font(configured: str | None = None, *, candidates: list[Path] | None = None) -> PaperFont:
    """The first usable font of ``candidates`` (default: ``candidate_paths(configured)``),
    registered once per process; STSong-Light with a warning when none can be embedded."""
    paths = candidates if candidates is not None else candidate_paths(configured)
    with _lock:
        for path in paths:
            key = str(path)
            if key in _unusable:
                continue
            if key not in _registered:
                font = _try_register(path)
                if font is None:
                    _unusable.add(key)
                    continue
                _registered[key] = font
            return _registered[key]
        if FALLBACK_FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
        return PaperFont(name=FALLBACK_FONT, embedded=False, warning=NOT_EMBEDDED_WARNING)


def font_for(ctx) -> PaperFont:
    """The font for ``ctx``'s office: its ``paper_font`` setting first."""
    configured = ctx.office().paper_font or None
    return paper_font(configured)
