"""The font cutter makes the very bytes reportlab's own subsetting makes, only faster."""

import random

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from jingyuan_desktop.services.paper import fonts
from jingyuan_desktop.services.paper.cutter import FontCutter


@pytest.fixture(scope="module")
def face():
    font = fonts.paper_font()
    if not font.embedded:
        pytest.skip("no TrueType Chinese font on this machine")
    return TTFont("CutterTest", font.path, subfontIndex=0).face  # reportlab's own, not the program's


def test_subsets_are_the_bytes_reportlab_makes(face):
    cutter = FontCutter(face)
    chars = sorted(face.charToGlyph)
    chinese = [code for code in chars if 0x4E00 <= code <= 0x9FFF]
    draw = random.Random(20261201)
    for trial in range(60):
        pool = chinese if trial % 2 else chars
        codes = draw.sample(pool, draw.randint(1, 256))
        if trial % 5 == 0:
            codes[draw.randrange(len(codes))] = 0x10FFFD  # a character the font lacks: the missing glyph
        assert cutter.cut(codes) == face.makeSubset(codes), trial


def test_a_composite_glyph_brings_its_components_numbered_anew(face):
    cutter = FontCutter(face)
    composite = [code for code, glyph in sorted(face.charToGlyph.items())
                 if cutter._glyph(glyph)[1]][:40]
    if not composite:
        pytest.skip("the font has no composite glyphs")
    assert cutter.cut(composite) == face.makeSubset(composite)
    # Asked again (the glyphs' parts now read once already), the same bytes.
    assert cutter.cut(composite) == face.makeSubset(composite)


def test_the_program_s_font_cuts_with_the_cutter(face):
    embedded = fonts.EmbeddedFont("CutterProgram", face.filename)
    codes = [ord(c) for c in "交办单叔侄宅基地纠纷"]
    assert embedded._make_subset(codes) == face.makeSubset(codes)
