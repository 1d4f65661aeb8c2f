"""The 重点人员 and 人员核对 tabs: refused to a village account with a sentence, masked until the
clerk reveals (each look audited), an entry added with its refusal kept, a pair merged."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from jingyuan_desktop.domain.access import Account, Role
from jingyuan_desktop.domain.enums import UnitKind
from jingyuan_desktop.domain.prevention import Citizen, KeyPerson
from jingyuan_desktop.services import audit_log, queries
from jingyuan_desktop.services.prevention import records
from jingyuan_desktop.ui.prevention.key_persons import KeyPersonsTab
from jingyuan_desktop.ui.prevention.review import ReviewTab

PHONE = "13812345678"


@pytest.fixture
def village(ctx):
    return queries.units(ctx, UnitKind.VILLAGE)[0].name


def register(ctx, name: str, village: str, phone: str = PHONE) -> int:
    return records.register_key_person(ctx, Citizen(name, phone=phone, village=village),
                                       KeyPerson(0, "", "精神障碍", responsible="村支书", measures="监护人看护",
                                                 since=date(2025, 6, 1), village=village))


def views(ctx) -> int:
    return sum(1 for line in audit_lines(ctx) if line.action == "view" and line.entity == "key_person")


def audit_lines(ctx):
    return audit_log.audit_lines(ctx)


def make_tab(ops, qtbot) -> KeyPersonsTab:
    tab = KeyPersonsTab(ops)
    qtbot.addWidget(tab)
    if tab.allowed:
        qtbot.waitUntil(lambda: tab.table.rowCount() > 0, timeout=10_000)
    return tab


def row_of(tab: KeyPersonsTab, entry_id: int) -> int:
    return next(n for n, e in enumerate(tab.register.entries) if e.id == entry_id)


def test_a_village_account_is_told_it_has_no_right_instead_of_an_empty_list(ops, ctx, qtbot, village):
    register(ctx, "刘建国", village)
    before = views(ctx)
    ctx.account = Account("村账号", Role.VILLAGE, village)
    tab = KeyPersonsTab(ops)
    qtbot.addWidget(tab)
    assert not tab.allowed
    assert "无权查看或修改重点人员名册" in tab.refusal.text()
    assert not hasattr(tab, "table")  # no list at all, not an empty one
    ctx.account = None
    assert views(ctx) == before  # the register was not even read


def test_names_are_masked_until_revealed_and_the_reveal_is_recorded(ops, ctx, qtbot, village):
    entry_id = register(ctx, "刘建国", village)
    tab = make_tab(ops, qtbot)
    row = row_of(tab, entry_id)
    assert tab.table.item(row, 0).text() == "刘某"
    assert "刘建国" not in {tab.table.item(r, 0).text() for r in range(tab.table.rowCount())}
    before = views(ctx)
    with qtbot.waitSignal(tab.sig_loaded, timeout=10_000):
        tab.reveal.setChecked(True)
    assert tab.table.item(row_of(tab, entry_id), 0).text() == "刘建国"
    # The look with full names is its own audit action, apart from the masked looks.
    assert views(ctx) == before and [line.action for line in audit_lines(ctx)
                                     if line.entity == "key_person"][-1] == "reveal"
    tab.reveal.setChecked(False)
    assert tab.table.item(row_of(tab, entry_id), 0).text() == "刘某"


def test_an_entry_without_a_responsible_person_is_refused_and_what_was_typed_stays(ops, ctx, qtbot, village):
    register(ctx, "刘建国", village)  # the tab has read the register once a row shows
    tab = make_tab(ops, qtbot)
    count = tab.table.rowCount()
    dialog = tab.add()
    dialog.name.setText("张小军")
    dialog.phone.setText("13900001111")
    dialog.type.setCurrentText("社区矫正")
    dialog.submit()
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=10_000)
    assert "责任人" in dialog.message.text()
    assert dialog.name.text() == "张小军" and dialog.phone.text() == "13900001111"
    dialog.responsible.setText("孙警官")
    with qtbot.waitSignal(tab.sig_loaded, timeout=10_000):
        dialog.submit()
    assert tab.table.rowCount() == count + 1
    assert tab.message.text() == "已新增重点人员"
    assert any(e.name == "张小军" and e.responsible == "孙警官" for e in records.key_persons(ctx))


def test_the_person_page_lists_the_visits_and_masks_the_phone(ops, ctx, qtbot, village):
    entry_id = register(ctx, "刘建国", village)
    tab = make_tab(ops, qtbot)
    tab.table.selectRow(row_of(tab, entry_id))
    visit = tab.record_visit()
    visit.note.setPlainText("情绪稳定")
    with qtbot.waitSignal(tab.sig_loaded, timeout=10_000):
        visit.submit()
    page = tab.open_person()
    qtbot.waitUntil(lambda: page.visits.rowCount() == 1, timeout=10_000)
    assert page.visits.item(0, 2).text() == "情绪稳定"
    assert "138****5678" in page.facts_plain and "刘建国" not in page.facts_plain
    # The visit answered the open duty: the next one is due 14 days later (精神障碍).
    row = row_of(tab, entry_id)
    assert tab.table.item(row, 7).text() == "待走访"


def test_two_records_of_one_phone_are_merged_after_asking(ops, ctx, qtbot, village, monkeypatch):
    register(ctx, "刘甲", village)
    register(ctx, "刘乙", village)
    tab = ReviewTab(ops)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: bool(tab.pairs), timeout=10_000)
    row = next(n for n, (a, b, _r) in enumerate(tab.pairs) if {a.name, b.name} == {"刘甲", "刘乙"})
    assert tab.table.item(row, 0).text() == "电话相同"
    assert tab.table.item(row, 2).text() == "138****5678"
    tab.table.selectRow(row)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(tab.sig_loaded, timeout=10_000):
        tab.decide(same=True)
    assert not any({a.name, b.name} == {"刘甲", "刘乙"} for a, b, _r in tab.pairs)
    assert tab.message.text().startswith("已合并")


def test_the_review_is_refused_to_a_village_account_with_a_sentence(ops, ctx, qtbot, village):
    ctx.account = Account("村账号", Role.VILLAGE, village)
    tab = ReviewTab(ops)
    qtbot.addWidget(tab)
    assert not tab.allowed and not hasattr(tab, "table")
    ctx.account = None
