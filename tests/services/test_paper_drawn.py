"""The canvas-drawn form's text breaking and grid (services/paper/drawn.py), measured with the
paper font's own widths."""

from __future__ import annotations

import io

import pytest

from jingyuan_desktop.services.paper import drawn, fonts
from jingyuan_desktop.services.paper.layout import DeflatedCanvas

SUMMARY = "村民反映邻居长期占用公共通道堆放杂物，并多次发生口角。报警人电话13912345678，案件FZ-2026-00012。"


@pytest.fixture(scope="module")
def face():
    return drawn.face_of(fonts.paper_font().name)


@pytest.mark.parametrize("width", [60, 97, 150, 233, 400])
def test_lines_fit_the_width_and_lose_no_character(face, width):
    lines = drawn.wrap(SUMMARY, face, 9.5, width)
    assert all(face.width(line) * 9.5 <= width for line in lines)
    assert "".join(lines) == SUMMARY  # no space in it, so nothing is dropped at a break
    if width < face.width(SUMMARY) * 9.5:
        assert len(lines) > 1


@pytest.mark.parametrize("width", [97, 120, 150, 233])
def test_no_line_begins_with_closing_punctuation_and_numbers_stay_whole(face, width):
    lines = drawn.wrap(SUMMARY, face, 9.5, width)
    assert all(line[0] not in drawn.CANNOT_START for line in lines[1:])
    assert any("13912345678" in line for line in lines)
    assert any("FZ-2026-00012" in line for line in lines)


def test_a_line_of_one_number_lets_the_punctuation_after_it_begin_the_next(face):
    # Only when the number fills a line alone: there is nothing to take down with the comma.
    lines = drawn.wrap(SUMMARY, face, 9.5, 60)
    assert "13912345678" in lines and lines[lines.index("13912345678") + 1].startswith("，")


def test_a_word_wider_than_the_line_is_broken_and_line_breaks_are_kept(face):
    word = "J37030351202611200022" * 3
    lines = drawn.wrap(word, face, 9.5, 80)
    assert len(lines) > 1 and "".join(lines) == word and all(face.width(line) * 9.5 <= 80 for line in lines)
    assert drawn.wrap("第一行\n第二行", face, 9.5, 400) == ["第一行", "第二行"]
    assert drawn.wrap("", face, 9.5, 400) == [""]


def test_the_ideographic_space_is_drawn_as_a_gap_the_font_has(face):
    cleaned = face.clean("带队：甲　成员：乙")
    assert "\u3000" in cleaned or "\u00a0" * 3 in cleaned


def test_a_grid_row_is_its_tallest_cell_plus_padding_unless_its_height_is_fixed(face):
    two_lines = drawn.set_text("甲" * 30, face, 10, 12, 200)
    assert len(two_lines.lines) >= 2
    grid = drawn.Grid([100, 200], [
        drawn.Row([drawn.Cell(drawn.Text("标签"), shaded=True), drawn.Cell(drawn.Text(fitted=two_lines))]),
        drawn.Row([drawn.Cell(drawn.Text("标签")), drawn.Cell(drawn.Text("值"))], height=40),
        drawn.Row([drawn.Cell(drawn.Text("跨两列的很长很长的内容" * 3), span=2)]),
    ], face, pad_y=3)
    height = grid.layout()
    spanned = len(drawn.wrap("跨两列的很长很长的内容" * 3, face, 9.5, 300 - 8))
    assert height == pytest.approx(two_lines.height + 6 + 40 + spanned * 12.5 + 6)
    canvas = DeflatedCanvas(io.BytesIO())
    painter = drawn.Painter(canvas, face)
    grid.draw(painter, 10, 500)
    painter.flush()
    canvas.showPage()
    canvas.save()
