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
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

from jingyuan_desktop.services.paper.cutter import FontCutter

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

# Finished font files kept per font: a few are enough (one stable subset per form and town).
SUBSET_FILES_KEPT = 8


class _Deflated:
    """A stream filter whose result is known already: a font file deflated at an earlier print."""

    pdfname = "FlateDecode"

    def __init__(self, data: bytes):
        self.data = data

    def encode(self, _content) -> bytes:
        return self.data

    def decode(self, encoded: bytes) -> bytes:
        return zlib.decompress(encoded)


class QuickFlate:
    """Deflate at zlib's fastest level: for a font subset or a page of a form, a file a few
    per cent larger made in half the time of reportlab's default level. Any level reads back
    the same (FlateDecode)."""

    pdfname = "FlateDecode"

    def encode(self, content) -> bytes:
        return zlib.compress(content.encode("utf8") if isinstance(content, str) else content, 1)

    def decode(self, encoded: bytes) -> bytes:
        return zlib.decompress(encoded)


QUICK_FLATE = QuickFlate()


class GlyphFlate(QuickFlate):
    """Deflate with Huffman coding only, for a font file made afresh: glyph outlines hardly
    repeat, so the search for repeats that every other level makes buys little (a slip's
    subset of 66 characters: 12.6 KB at level 1 in 0.23 ms, 15.4 KB this way in 0.08 ms,
    19.8 KB as it is). It reads back as any deflated stream does."""

    def encode(self, content) -> bytes:
        packer = zlib.compressobj(1, zlib.DEFLATED, 15, 9, zlib.Z_HUFFMAN_ONLY)
        return packer.compress(content.encode("utf8") if isinstance(content, str) else content) + packer.flush()


GLYPH_FLATE = GlyphFlate()


class EmbeddedFont(TTFont):
    """reportlab's TrueType font, keeping the finished file of each subset that is made of
    seeded characters only.

    reportlab cuts a new subset of the whole font file and deflates it for every PDF: for a
    Chinese font and the slip's two hundred characters, a third of the time a slip took. A
    form ``seed``s each document with its fixed wording, in a fixed order, before it draws
    anything: the first subset is then the same in every copy, and its file (the same bytes
    reportlab would make) is taken from here. Subsets holding a case's own characters are
    made afresh each time, cut by a ``FontCutter`` (the same bytes, several times faster) and
    deflated by Huffman coding only (``GlyphFlate``).
    """

    def __init__(self, name: str, filename: str, subfontIndex: int = 0):
        super().__init__(name, filename, subfontIndex=subfontIndex)
        self._seeded: set[int] = set(range(128))  # code 0 and ASCII sit in the first subset anyway
        self._files: OrderedDict[tuple[int, ...], _KeptSubset] = OrderedDict()
        self._files_lock = threading.Lock()
        self._cutter: FontCutter | None = None
        face = self.face
        self._add_subset_objects = face.addSubsetObjects
        # This face's own methods, wrapped: reportlab calls them from TTFont.addObjects.
        face.makeSubset = self._subset_file  # type: ignore[method-assign]
        face.addSubsetObjects = self._subset_objects  # type: ignore[method-assign]

    def _make_subset(self, subset: Sequence[int]) -> bytes:
        """The font file of ``subset``, the bytes reportlab's ``makeSubset`` makes, cut by a
        ``FontCutter`` that reads the font's tables once (made at the first print)."""
        cutter = self._cutter
        if cutter is None:
            with self._files_lock:
                if self._cutter is None:
                    self._cutter = FontCutter(self.face)
                cutter = self._cutter
        return cutter.cut(subset)

    def seed(self, doc, text: str) -> None:
        """Give ``text``'s characters their codes in ``doc`` now, in order (see the class)."""
        with self._files_lock:
            self._seeded.update(map(ord, text))
        self.splitString(text, doc)

    def _kept(self, subset: Iterable[int]) -> _KeptSubset | None:
        key = tuple(subset)
        with self._files_lock:
            if not self._seeded.issuperset(key):
                return None
            found = self._files.get(key)
            if found is not None:
                self._files.move_to_end(key)
                return found
        raw = self._make_subset(list(key))
        # The font file as reportlab's Flate filter would write it, and the /Widths array.
        found = _KeptSubset(raw, zlib.compress(raw), _widths_array(self.face, key))
        with self._files_lock:
            self._files[key] = found
            while len(self._files) > SUBSET_FILES_KEPT:
                self._files.popitem(last=False)
        return found

    def _subset_file(self, subset: Sequence[int]) -> bytes:
        kept = self._kept(subset)
        return kept.file if kept is not None else self._make_subset(subset)

    def _subset_objects(self, doc, fontname: str, subset: Sequence[int]):
        descriptor = self._add_subset_objects(doc, fontname, subset)
        kept = self._kept(subset)
        if doc.compression:
            # The stream reportlab just added: deflated already, or deflated quickly.
            stream = doc.idToObject[f"fontFile:{self.face.filename}({fontname})"]
            stream.filters = [_Deflated(kept.deflated) if kept is not None else GLYPH_FLATE]
        return descriptor

    def addObjects(self, doc) -> None:
        """reportlab's objects of each subset, with the /Widths array written in one step (as a
        list of numbers each went through reportlab's general formatting: 0.3 ms for the 256 of
        a subset) and the ToUnicode map of a kept subset deflated once per process."""
        state = self.state.get(doc)
        subsets = [tuple(subset) for subset in state.subsets] if state is not None else []
        names = [self.getSubsetInternalName(n, doc)[1:] for n in range(len(subsets))]
        super().addObjects(doc)
        fonts = doc.idToObject["BasicFonts"].dict
        for subset, name in zip(subsets, names, strict=True):
            pdf_font = fonts[name]
            kept = self._kept(subset)
            pdf_font.Widths = _Formatted(kept.widths if kept is not None else _widths_array(self.face, subset))
            if doc.compression:
                cmap = doc.idToObject[pdf_font.ToUnicode.name]
                cmap.filters = [_Deflated(kept.cmap(pdf_font.BaseFont, cmap.content)) if kept is not None
                                else QUICK_FLATE]


@dataclass
class _KeptSubset:
    """A subset of seeded characters, finished once: its font file (as it is and deflated), its
    /Widths array, and its deflated ToUnicode map by the subset font's name."""

    file: bytes
    deflated: bytes
    widths: bytes
    cmaps: dict[str, bytes] = field(default_factory=dict)

    def cmap(self, font_name: str, content: str) -> bytes:
        found = self.cmaps.get(font_name)
        if found is None:
            found = self.cmaps[font_name] = zlib.compress(content.encode("utf8"))
        return found


def _widths_array(face, subset: Sequence[int]) -> bytes:
    """The /Widths array of ``subset``, as reportlab's numbers would print."""
    return b"[" + fp_str(*map(face.getCharWidth, subset)).encode("ascii") + b"]"


class _Formatted(pdfdoc.PDFObject):
    """A PDF value written already (``format`` hands back its bytes)."""

    def __init__(self, data: bytes):
        self.data = data

    def format(self, _document) -> bytes:
        return self.data


def candidate_paths(configured: str | None = None, platform: str | None = None) -> list[Path]:
    """Font files to try, best first: the office's own choice, then the platform's usual fonts."""
    platform = platform or sys.platform
    found: list[Path] = []
    if configured:
        found.append(Path(configured).expanduser())
    names = WINDOWS_FILES if platform.startswith("win") else MAC_FILES if platform == "darwin" else LINUX_FILES
    found += _installed(names)
    return [path for path in found if path.is_file()]


@lru_cache(maxsize=4)
def _installed(names: tuple[str, ...]) -> tuple[Path, ...]:
    """The installed font files named ``names``, ordered by the preference of ``names``.

    matplotlib knows where each platform keeps its fonts (the Windows registry, for the
    system's and the user's own; fontconfig; the macOS font folders), and the charts use it too.
    Looked up once per process, like the registration of the font found (``paper_font``):
    listing the font folders took longer than the rest of a slip's preparation.
    """
    # Imported here: matplotlib reads its font list on import, which only printing needs.
    from matplotlib import font_manager

    rank = {name.lower(): index for index, name in enumerate(names)}
    hits = [Path(file) for file in font_manager.findSystemFonts() if Path(file).name.lower() in rank]
    return tuple(sorted(hits, key=lambda path: (rank[path.name.lower()], str(path))))


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
        font = EmbeddedFont(name, str(path), subfontIndex=0)
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


def font_for(ctx, office=None) -> PaperFont:
    """The font for ``ctx``'s office: its ``paper_font`` setting first. ``office``: the
    office's settings when the caller has read them already."""
    configured = (office or ctx.office()).paper_font or None
    return paper_font(configured)
