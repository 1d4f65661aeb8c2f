from datetime import date

import pytest

from jingyuan_desktop.domain.categories import DEFAULT_TREE
from jingyuan_desktop.domain.enums import DomainError, PersonRole, UnitKind
from jingyuan_desktop.domain.model import Person, Unit
from jingyuan_desktop.store import repository
from jingyuan_desktop.store.repository import NotFoundError
from tests.store.conftest import USER, t

AT = t("2026-03-01 08:00")


def test_units_are_listed_in_sort_order_and_updated_by_name(db):
    with db.session() as session:
        repository.upsert_unit(session, Unit("高南村", UnitKind.VILLAGE), sort_order=2, user=USER, at=AT)
        repository.upsert_unit(session, Unit("解营村", UnitKind.VILLAGE), sort_order=1, user=USER, at=AT)
        repository.upsert_unit(session, Unit("房镇派出所", UnitKind.POLICE_STATION), sort_order=0, user=USER, at=AT)
    with db.session() as session:
        assert [u.name for u in repository.list_units(session)] == ["房镇派出所", "解营村", "高南村"]
        assert repository.list_units(session, UnitKind.VILLAGE) == [Unit("解营村", UnitKind.VILLAGE),
                                                                   Unit("高南村", UnitKind.VILLAGE)]
        repository.upsert_unit(session, Unit("高南村", UnitKind.COMMUNITY), active=False, user=USER, at=AT)
    with db.session() as session:
        assert [u.name for u in repository.list_units(session, "village")] == ["解营村"]
        assert Unit("高南村", UnitKind.COMMUNITY) in repository.list_units(session, include_inactive=True)


def test_people_are_unique_per_unit_not_globally(db):
    with db.session() as session:
        for name in ("解营村", "高南村"):
            repository.upsert_unit(session, Unit(name, UnitKind.VILLAGE), user=USER, at=AT)
        repository.upsert_person(session, Person("王伟", PersonRole.SECRETARY, "解营村", "13800000001",
                                                 ("邻里纠纷",)), user=USER, at=AT)
        repository.upsert_person(session, Person("王伟", PersonRole.MEDIATOR, "高南村"), user=USER, at=AT)
        repository.upsert_person(session, Person("刘律师", PersonRole.EXPERT, None), user=USER, at=AT)
        # Same name and unit: an update, not a second person.
        repository.upsert_person(session, Person("王伟", PersonRole.SECRETARY, "解营村", "13800000009",
                                                 ("邻里纠纷", "土地承包")), user=USER, at=AT)
        repository.upsert_person(session, Person("刘律师", PersonRole.LEGAL_ADVISER, None), user=USER, at=AT)
    with db.session() as session:
        everyone = repository.list_people(session)
        village = repository.list_people(session, unit="解营村")
    assert len(everyone) == 3
    assert village == [Person("王伟", PersonRole.SECRETARY, "解营村", "13800000009", ("邻里纠纷", "土地承包"))]
    assert Person("刘律师", PersonRole.LEGAL_ADVISER, None) in everyone


def test_person_of_unknown_unit_is_refused(db):
    with pytest.raises(NotFoundError, match="未知的单位“无此村”"), db.session() as session:
        repository.upsert_person(session, Person("某人", PersonRole.CADRE, "无此村"), user=USER, at=AT)


def test_seed_defaults_fills_only_an_empty_tree(db):
    with db.session() as session:
        assert repository.seed_defaults(session) is True
        assert repository.category_tree(session).tree == DEFAULT_TREE
        repository.replace_category_tree(session, {"婚姻家庭": ["家庭矛盾"]}, user=USER, at=AT)
        assert repository.seed_defaults(session) is False
        assert repository.category_tree(session).tree == {"婚姻家庭": ("家庭矛盾",)}


def test_replacing_the_tree_keeps_order_moves_names_and_refuses_duplicates(db):
    with db.session() as session:
        repository.replace_category_tree(session, {"乙": ["乙一", "乙二"], "甲": ["甲一"]}, user=USER, at=AT)
        repository.replace_category_tree(session, {"甲": ["乙二", "甲一"], "丙": []}, user=USER, at=AT)
        tree = repository.category_tree(session)
    assert tree.tree == {"甲": ("乙二", "甲一"), "丙": ()}
    assert tree.major_of("乙二") == "甲"
    with pytest.raises(DomainError), db.session() as session:
        repository.replace_category_tree(session, {"甲": ["甲"]}, user=USER, at=AT)


def test_settings_round_trip_and_a_mutated_copy_is_saved(db):
    with db.session() as session:
        assert repository.get_setting(session, "office", {"town": ""}) == {"town": ""}
        repository.set_setting(session, "office", {"town": "房镇镇", "prefix": "FZ"}, user=USER, at=AT)
    with db.session() as session:
        office = repository.get_setting(session, "office")
        office["town"] = "大张镇"
        repository.set_setting(session, "office", office, user=USER, at=AT)
    with db.session() as session:
        assert repository.get_setting(session, "office") == {"town": "大张镇", "prefix": "FZ"}


def test_calendar_overrides_set_change_and_remove(db):
    with db.session() as session:
        repository.set_calendar_override(session, date(2027, 1, 1), False, "元旦", user=USER, at=AT)
        repository.set_calendar_override(session, date(2027, 1, 3), True, "调休上班", user=USER, at=AT)
    with db.session() as session:
        assert repository.calendar_overrides(session) == {date(2027, 1, 1): False, date(2027, 1, 3): True}
        repository.set_calendar_override(session, date(2027, 1, 3), None, user=USER, at=AT)
        repository.set_calendar_override(session, date(2027, 1, 1), True, user=USER, at=AT)
    with db.session() as session:
        assert repository.calendar_overrides(session) == {date(2027, 1, 1): True}
