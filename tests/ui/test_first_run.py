"""The first start on an empty database: the office's own town, typed in or from a sheet."""

from jingyuan_desktop.domain.enums import UnitKind
from jingyuan_desktop.services import queries, setup
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.ui.widgets.first_run import FirstRunDialog


def test_villages_from_a_sheet_with_their_secretaries_make_the_town(qtbot, tmp_path):
    sheet = tmp_path / "villages.csv"
    sheet.write_text("名称,类型,书记,电话\n东河村,村,马书记,13900001111\n西苑社区,社区,,\n", encoding="utf-8")
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.fresh.setChecked(True)
    dialog.town.setText("东河镇")
    dialog.stations.setPlainText("东河派出所")
    assert dialog.import_sheet(str(sheet))
    assert dialog.villages.toPlainText() == "东河村\n西苑社区"
    town = dialog.town_entered()

    ctx = AppContext.open(str(tmp_path / "new.db"))
    setup.ensure_defaults(ctx)
    setup.install_town(ctx, town)
    assert [(u.name, u.kind) for u in queries.units(ctx)] == [
        ("东河村", UnitKind.VILLAGE), ("西苑社区", UnitKind.COMMUNITY), ("东河派出所", UnitKind.POLICE_STATION)]
    secretary, _members = queries.village_team(ctx, "东河村")
    assert secretary.name == "马书记" and secretary.phone == "13900001111"
    assert ctx.office().town == "东河镇"
    ctx.db.engine.dispose()


def test_a_bad_sheet_is_reported_and_nothing_is_filled(qtbot, tmp_path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text("名称,类型\n东河村,小区\n", encoding="utf-8")
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.fresh.setChecked(True)
    assert not dialog.import_sheet(str(sheet))
    assert "第2行" in dialog.error.text() and dialog.villages.toPlainText() == ""


def test_a_clean_start_needs_a_town_and_a_village(qtbot):
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.fresh.setChecked(True)
    dialog._accept()
    assert dialog.error.text() == "请填写镇（街道）名称"
    dialog.town.setText("东河镇")
    dialog._accept()
    assert dialog.error.text() == "请至少填写一个村（社区）"


def test_the_demo_loads_on_an_empty_database_with_its_progress_and_a_second_load_is_refused(qtbot, tmp_path,
                                                                                          monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from jingyuan_desktop.services import setup
    from jingyuan_desktop.services.context import AppContext
    from jingyuan_desktop.ui.app import load_demo_with_progress
    from jingyuan_desktop.ui.ops import Operations

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args[2]))
    ctx = AppContext.open(str(tmp_path / "new.db"))
    try:
        ops = Operations(ctx)
        assert load_demo_with_progress(ops, 30) and setup.has_cases(ctx) and shown == []
        assert not load_demo_with_progress(ops, 30)  # demo cases never mix with others
        assert len(shown) == 1 and "只能装入空数据库" in shown[0]
    finally:
        ctx.db.engine.dispose()
