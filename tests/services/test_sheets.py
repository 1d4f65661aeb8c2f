"""Reading the office's sheets: the same rows from Excel and from a CSV in any encoding Excel writes."""

from __future__ import annotations

from datetime import datetime

import pytest
from openpyxl import Workbook

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.services import admin
from jingyuan_desktop.services.context import ServiceError
from jingyuan_desktop.services.sheets import SheetError, cell_text, find_header, header_key, read_rows, serial_time
from jingyuan_desktop.services.transfers import read_transfers

ROWS = [["名称", "类型", "书记", "电话"], ["东河村", "村", "马书记", "13900001111"], ["西苑社区", "社区"]]


def write_xlsx(path, rows):
    book = Workbook()
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "utf-16"])
def test_a_csv_in_any_encoding_excel_writes_reads_as_the_same_rows(tmp_path, encoding):
    path = tmp_path / "villages.csv"
    path.write_text("\n".join(",".join(row) for row in ROWS) + "\n", encoding=encoding)
    assert read_rows(path) == [(1, ROWS[0]), (2, ROWS[1]), (3, ROWS[2])]


def test_xlsx_rows_keep_excel_s_numbers_and_numbers_lose_their_point_zero(tmp_path):
    path = write_xlsx(tmp_path / "villages.xlsx", [ROWS[0], [], ["东河村", "村", "马书记", 13900001111.0]])
    rows = read_rows(path)
    assert [number for number, _ in rows] == [1, 2, 3]
    assert [cell_text(c) for c in rows[2][1]] == ["东河村", "村", "马书记", "13900001111"]


def test_an_unknown_encoding_is_refused_in_chinese(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(bytes(range(128, 256)) * 4)
    with pytest.raises(SheetError, match=r"无法识别“binary\.csv”的文字编码"):
        read_rows(path)


def test_header_spellings_are_compared_without_brackets_spaces_or_stars():
    assert header_key(" 所属村（社区）* ") == header_key("所属村【社区】：") == "所属村(社区)"
    rows = [(1, ["转交清单"]), (2, ["", "名 称", "电话"]), (3, ["甲村", "13900001111"])]
    spellings = {"名称": "name", "电话": "phone"}
    assert find_header(rows, spellings, within=5, needs=["name"]) == (2, {"name": 1, "phone": 2})
    assert find_header(rows, {"名称": "name"}, within=1, needs=["name"]) is None


def test_excel_serial_numbers_are_moments_only_with_a_time_of_day():
    assert serial_time(46298.4375) == datetime(2026, 10, 3, 10, 30)
    assert serial_time(46298) is None  # a date without a time of day
    assert serial_time(10.5) is None  # not a plausible moment


def test_a_transfer_list_with_serial_number_times_reads_them(tmp_path):
    header = ["警情编号", "报警时间", "所属村（社区）", "简要警情", "转交时间", "转交派出所"]
    row = ["J001", 46298.4, "解营村", "邻里纠纷", 46298.4375, "房镇派出所"]
    path = write_xlsx(tmp_path / "list.xlsx", [header, row])
    [(row, case)] = read_transfers(path, default_category="未分类").cases
    assert row == 2
    assert case.received_at == datetime(2026, 10, 3, 10, 30, tzinfo=TZ)
    assert case.called_at == datetime(2026, 10, 3, 9, 36, tzinfo=TZ)


def test_the_villages_sheet_reads_gbk_and_short_rows(tmp_path):
    path = tmp_path / "villages.csv"
    path.write_text("名称,类型,书记,电话\n东河村,村,马书记,13900001111\n西苑社区\n", encoding="gbk")
    sheet = admin.read_units_sheet(path)
    assert [(u.name, u.kind.value) for u in sheet.units] == [("东河村", "village"), ("西苑社区", "community")]
    assert [(p.name, p.unit, p.phone) for p in sheet.people] == [("马书记", "东河村", "13900001111")]


def test_each_row_of_the_villages_sheet_is_judged_by_its_own_cells(tmp_path):
    path = write_xlsx(tmp_path / "villages.xlsx", [ROWS[0], ["东河村", "村", "马书记", "13900001111"],
                                                    ["西苑社区", "小区"], ["南岭村", "", "", "13900002222"]])
    with pytest.raises(ServiceError) as refused:
        admin.read_units_sheet(path)
    assert refused.value.message.splitlines()[1:] == [
        "第3行：类型“小区”应为“村”或“社区”", "第4行：填写了电话但没有书记姓名"]


def _rows_as_load_workbook_reads_them(path):
    """The first worksheet's rows as ``load_workbook`` in read-only mode gives them once its
    size is reset, numbered by their cells (the reference for ``read_rows``)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        rows, number = [], 0
        for row in sheet.iter_rows():
            number += 1
            number = next((cell.row for cell in row if getattr(cell, "row", None)), number)
            rows.append((number, [cell.value for cell in row]))
        return rows
    finally:
        book.close()


def _with_sheet_size(path, size):
    """A copy of ``path`` whose first sheet states ``size`` (a wrong one, as some programs write)."""
    import re
    import zipfile

    target = path.with_name(f"sized-{path.name}")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = re.sub(r"<dimension ref=\"[^\"]*\"\s*/>", "", data.decode())
                data = text.replace("<sheetViews>", f'<dimension ref="{size}"/><sheetViews>', 1).encode()
            copy.writestr(item, data)
    return target


def test_xlsx_rows_are_every_row_of_the_first_worksheet_whatever_size_the_file_states(tmp_path):
    """Streamed files state no size, others a wrong one; a chart sheet may come first: every row
    of the first worksheet is read, numbered as Excel shows it."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart

    rows = [["清单"], [], ["名称", "时间", "数量"], *[[f"东河村{i}", datetime(2026, 3, i % 28 + 1, 9, 30), i * 1.5]
                                                 for i in range(40)], [], [None, None, "合计"]]
    streamed = Workbook(write_only=True)
    sheet = streamed.create_sheet("清单")
    for row in rows:
        sheet.append(row)
    streamed.save(tmp_path / "streamed.xlsx")
    saved = tmp_path / "saved.xlsx"
    book = Workbook()
    book.create_chartsheet("图表", 0).add_chart(BarChart())
    for row in rows:
        book.worksheets[0].append(row)
    book.create_sheet("其他").append(["不读这张"])
    book.save(saved)
    for path in (tmp_path / "streamed.xlsx", saved, _with_sheet_size(saved, "A1:B2")):
        expected = _rows_as_load_workbook_reads_them(path)
        assert read_rows(path) == expected, path.name
        assert len(expected) == len(rows) and expected[-1] == (len(rows), [None, None, "合计"])


INLINE_ROWS = (
    '<row r="3"><c r="A3" t="inlineStr"><is><t>纯文本</t></is></c>'
    '<c r="B3" t="inlineStr"><is><r><rPr><b/></rPr><t>粗</t></r><r><t xml:space="preserve"> 体 </t></r></is></c>'
    '<c r="C3" t="inlineStr"><is><t>张</t><rPh sb="0" eb="1"><t>ZHANG</t></rPh><phoneticPr fontId="1"/></is></c>'
    '<c r="D3" t="inlineStr"><is/></c><c r="E3" t="inlineStr"></c><c r="F3" t="inlineStr"><is><t></t></is></c>'
    '<c r="H3" t="inlineStr"><is><t>一</t><t>二</t></is></c>'
    '<c r="I3" t="inlineStr" s="1"><is><t>有样式</t></is></c></row>'
    '<row r="5"><c t="inlineStr"><is><t>无坐标</t></is></c><c t="inlineStr"><is><t>第二格</t></is></c></row>'
    '<row r="6"><c r="A6" t="inlineStr"><f>"公"&amp;"式"</f><is><t>公式</t></is></c><c r="B6" t="e"><v>#N/A</v></c>'
    '<c r="C6" t="str"><f>A1</f><v>公式文字</v></c><c r="D6" t="b"><v>1</v></c><c r="E6"><v>13900001111</v></c></row>'
)


def test_inline_strings_read_as_openpyxl_reads_their_text(tmp_path):
    """Plain and formatted runs, phonetic runs left out, empty ones, several texts, a formula's
    cached text: what openpyxl's rich-text objects give, beside shared strings, times and numbers."""
    import zipfile

    book = Workbook()
    book.worksheets[0].append(["共享文字", datetime(2026, 3, 2, 9, 30), 1.5, True])
    book.save(tmp_path / "plain.xlsx")
    path = tmp_path / "inline.xlsx"
    with zipfile.ZipFile(tmp_path / "plain.xlsx") as source, zipfile.ZipFile(path, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.decode().replace("</sheetData>", INLINE_ROWS + "</sheetData>").encode()
            copy.writestr(item, data)
    expected = _rows_as_load_workbook_reads_them(path)
    assert read_rows(path) == expected
    assert expected[2][1][:9] == ["纯文本", "粗 体 ", "张", "", None, "", None, "二", "有样式"]
    assert expected[4][1] == ["无坐标", "第二格"] and expected[5][1][:3] == ["公式", "#N/A", "公式文字"]
