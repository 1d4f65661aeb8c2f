"""Every mistake a user can make on the command line is a Chinese sentence and exit 1, never a
traceback, and leaves the data as it was (issue 11, item 3)."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import zipfile
from contextlib import closing

import pytest
from openpyxl import Workbook

from jingyuan_desktop import cli

HEADER = "警情编号,报警时间,报警人,联系电话,事发地点,所属村（社区）,简要警情,处警民警,转交时间,转交派出所\n"
ROW = "J9,2026-10-01 10:00,张三,13912345678,三组,解营村,{summary},李警官,2026-10-01 10:10,房镇派出所\n"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    db = tmp_path_factory.mktemp("bad") / "town.db"
    assert cli.main(["--db", str(db), "demo", "--cases", "20", "--seed", "2"]) == 0
    return db


@pytest.fixture
def db(template, tmp_path):
    copy = tmp_path / "town.db"
    copy.write_bytes(template.read_bytes())
    return copy


def counts(db) -> tuple[int, int, int]:
    with closing(sqlite3.connect(db)) as connection:
        return tuple(connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[return-value]
                     for t in ("cases", "events", "audit_log"))


def refused(capsys, db, *argv) -> str:
    before = counts(db)
    code, _, err = run(capsys, "--db", db, *argv)
    assert code == 1, err
    assert "Traceback" not in err and "程序出错" not in err, err
    assert CHINESE.search(err), err
    assert counts(db) == before
    return err


def xlsx_with_broken_sheet(path):
    book = Workbook()
    book.active.append(HEADER.strip().split(","))
    book.active.append(["J1", "2026-10-01 10:00", "张三", "13912345678", "三组", "解营村", "吵架", "李警官",
                        "2026-10-01 10:10", "房镇派出所"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # the sheet's XML breaks off
            target.writestr(item, data)
    return path


def test_a_ten_megabyte_csv_field(capsys, db, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "J1,2026-10-01 10:00,张三,13912345678,x,解营村," + "长" * 10_000_000
                    + ",李警官,2026-10-01 10:10,房镇派出所\n", encoding="utf-8")
    assert "过长" in refused(capsys, db, "import", "transfers", path)


def test_a_corrupt_xlsx(capsys, db, tmp_path):
    assert "损坏" in refused(capsys, db, "import", "transfers", xlsx_with_broken_sheet(tmp_path / "broken.xlsx"))
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert "损坏" in refused(capsys, db, "import", "transfers", junk)


@pytest.mark.parametrize("argv", [("import", "transfers", "{dir}"), ("import", "cases", "{dir}")])
def test_a_folder_as_the_input(capsys, db, tmp_path, argv):
    refused(capsys, db, *(a.replace("{dir}", str(tmp_path)) for a in argv))


@pytest.mark.parametrize("argv", [("export", "cases", "--out"), ("export", "ledger", "--out"),
                                  ("export", "ledger", "--unmasked", "--out")])
def test_a_folder_or_a_missing_folder_as_the_output(capsys, db, tmp_path, argv):
    assert "文件夹" in refused(capsys, db, *argv, tmp_path)
    missing = tmp_path / "no_such_folder" / "out.file"
    assert "不存在" in refused(capsys, db, *argv, missing)
    assert not missing.parent.exists()


def test_backup_to_a_file(capsys, db, tmp_path):
    file = tmp_path / "a_file.txt"
    file.write_text("x", encoding="utf-8")
    assert "不是文件夹" in refused(capsys, db, "backup", "--to", file)


def test_a_bit_flipped_database(capsys, db, tmp_path):
    broken = tmp_path / "broken.db"
    data = bytearray(db.read_bytes())
    data[0:16] = b"not a database!!"
    broken.write_bytes(bytes(data))
    code, _, err = run(capsys, "--db", broken, "stats")
    assert code == 1 and "Traceback" not in err and "数据库" in err


@pytest.mark.parametrize("argv", [("demo", "--cases", "5", "--if-empty"), ("backup", "--to", "{tmp}"),
                                  ("export", "ledger", "--unmasked", "--out", "{tmp}/l.xlsx")])
def test_a_read_only_database(capsys, db, tmp_path, argv):
    read_only = f"sqlite:///file:{db}?mode=ro&uri=true"
    code, _, err = run(capsys, "--db", read_only, *(a.replace("{tmp}", str(tmp_path)) for a in argv))
    assert code in (0, 1), err  # demo --if-empty has nothing to do on a town with cases
    assert "Traceback" not in err and "程序出错" not in err
    if code == 1:
        assert "只读" in err
    assert not (tmp_path / "l.xlsx").exists()  # no file leaves unaudited


def test_import_into_a_read_only_database(capsys, db, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(HEADER + ROW.format(summary="吵架"), encoding="utf-8")
    before = counts(db)
    code, _, err = run(capsys, "--db", f"sqlite:///file:{db}?mode=ro&uri=true", "import", "transfers", path)
    assert code == 1 and "只读" in err and "Traceback" not in err
    assert counts(db) == before


def exchange(tmp_path, text: str):
    path = tmp_path / "cases.json"
    path.write_text(text, encoding="utf-8")
    return path


def case_json(**fields) -> str:
    case = {"received_at": "2026-10-01T10:00:00+08:00", "village": "解营村", "summary": "吵架",
            "category": "未分类", **fields}
    return json.dumps({"format": "jingyuan-cases", "version": 2, "cases": [case]}, ensure_ascii=False)


def test_a_year_one_date_at_plus_fourteen(capsys, db, tmp_path):
    path = exchange(tmp_path, case_json(received_at="0001-01-01T00:00:00+14:00"))
    assert "无法识别" in refused(capsys, db, "import", "cases", path)


def test_a_lone_surrogate(capsys, db, tmp_path):
    path = exchange(tmp_path, case_json(summary="ok").replace('"ok"', '"\\ud800"'))
    assert "无法识别的字符" in refused(capsys, db, "import", "cases", path)


def test_a_nul_byte_that_postgresql_would_refuse(capsys, db, tmp_path):
    path = exchange(tmp_path, case_json(summary="吵\u0000架"))
    assert "空字符" in refused(capsys, db, "import", "cases", path)
    csv = tmp_path / "nul.csv"
    csv.write_text(HEADER + ROW.format(summary="吵\x00架"), encoding="utf-8")
    assert "空字符" in refused(capsys, db, "import", "transfers", csv)


def test_a_hundred_thousand_levels_of_nesting(capsys, db, tmp_path):
    assert "嵌套" in refused(capsys, db, "import", "cases", exchange(tmp_path, "[" * 100_000 + "]" * 100_000))


@pytest.mark.parametrize("field, length", [("case_no", 500), ("police_incident_no", 65)])
def test_over_long_fields_are_refused_on_every_backend(capsys, db, tmp_path, field, length):
    path = exchange(tmp_path, case_json(**{field: "1" * length}))
    assert "太长" in refused(capsys, db, "import", "cases", path)


def test_an_over_long_transfer_incident_number_and_id(capsys, db, tmp_path):
    csv = tmp_path / "long.csv"
    csv.write_text(HEADER + "J" + "1" * 64 + ",2026-10-01 10:00,张三,13912345678,三组,解营村,吵架,李警官,"
                   "2026-10-01 10:10,房镇派出所\n", encoding="utf-8")
    assert "太长" in refused(capsys, db, "import", "transfers", csv)
    party = {"name": "张三", "phone": "13912345678", "role": "caller", "id_number": "3" * 60}
    path = exchange(tmp_path, case_json(parties=[party]))
    assert "太长" in refused(capsys, db, "import", "cases", path)
