import pytest
from sqlalchemy import event

from jingyuan_desktop.domain.enums import EventType, Grade, PartyRole, Risk, Status
from jingyuan_desktop.domain.model import Event, Party
from jingyuan_desktop.store import repository
from jingyuan_desktop.store.repository import CaseFilter
from tests.store.conftest import USER, every_event, make_case, t

E = EventType
AT = t("2026-04-01 08:00")


@pytest.fixture
def table(db):
    """Six cases across villages, grades, risks and statuses."""
    dispatch = every_event()[2]
    cases = [
        make_case("FZ-2026-00001", received="2026-03-01 09:00", village="解营村", grade=Grade.SIMPLE,
                  risk=Risk.BLUE, summary="邻居因宅基地边界发生争吵", location="3组东头"),
        make_case("FZ-2026-00002", received="2026-03-02 09:00", village="高南村", grade=Grade.DIFFICULT,
                  risk=Risk.RED, summary="家庭矛盾，夫妻吵架", location="橡树湾12号楼", phone="13911112222",
                  events=[Event(E.DISPATCHED, t("2026-03-02 09:04"), data=dispatch.data)]),
        make_case("FZ-2026-00003", received="2026-03-03 09:00", village="解营村", grade=Grade.GENERAL,
                  risk=Risk.YELLOW, summary="物业收费纠纷", location="花漾城"),
        make_case("FZ-2026-00004", received="2026-03-04 09:00", village="房东村", grade=Grade.GENERAL,
                  risk=Risk.RED, summary="土地承包到期争议", location="村南地头"),
        make_case("FZ-2026-00005", received="2026-03-05 09:00", village="高南村", grade=Grade.SIMPLE,
                  risk=Risk.YELLOW, summary="寻求帮助50%_折扣", location="集市"),
        make_case("FZ-2026-00006", received="2026-03-05 09:00", village="解营村", grade=Grade.SIMPLE,
                  risk=Risk.BLUE, summary="噪音扰民", location="小区"),
    ]
    cases[4].parties = [Party("欧阳明", "13600001234", role=PartyRole.CALLER)]
    with db.session() as session:
        for case in cases:
            repository.add_case(session, case, user=USER, at=AT)
    return db


def case_nos(db, filters=None, *, order_by="received_at", descending=False, offset=0, limit=100):
    with db.session() as session:
        rows = repository.page_case_rows(session, filters=filters or CaseFilter(), order_by=order_by,
                                         descending=descending, offset=offset, limit=limit)
    return [r.case_no[-1] for r in rows]


def test_order_by_time_with_id_breaking_ties(table):
    assert case_nos(table) == list("123456")
    assert case_nos(table, descending=True) == list("654321")


def test_grade_and_risk_sort_by_meaning_not_spelling(table):
    # Descending reverses the tie-break too: within a colour the newest case comes first.
    assert case_nos(table, order_by="risk", descending=True) == list("425361")
    assert case_nos(table, order_by="grade") == list("156342")


def test_pages_cover_every_row_once(table):
    pages = [case_nos(table, order_by="village", offset=o, limit=4) for o in (0, 4)]
    assert sorted(pages[0] + pages[1]) == list("123456")
    assert len(pages[0]) == 4 and len(pages[1]) == 2


def test_unknown_sort_column_is_refused(table):
    with pytest.raises(ValueError):
        case_nos(table, order_by="summary; drop table cases")


def test_filters_combine(table):
    assert case_nos(table, CaseFilter(villages=["解营村"])) == list("136")
    assert case_nos(table, CaseFilter(villages=["解营村", "高南村"], risks=[Risk.BLUE])) == list("16")
    assert case_nos(table, CaseFilter(grades=["general"])) == list("34")
    assert case_nos(table, CaseFilter(statuses=[Status.DISPATCHED])) == ["2"]
    assert case_nos(table, CaseFilter(statuses=[])) == []
    window = CaseFilter(received_from=t("2026-03-02 09:00"), received_to=t("2026-03-05 09:00"))
    assert case_nos(table, window) == list("234")
    with table.session() as session:
        assert repository.count_cases(session, CaseFilter(villages=["解营村"], risks=["blue"])) == 2
        assert repository.count_cases(session) == 6


@pytest.mark.parametrize("text, expected", [
    ("宅基地", ["1"]),          # summary
    ("橡树湾", ["2"]),          # location
    ("欧阳", ["5"]),            # a party's name
    ("1391111", ["2"]),        # a party's phone
    ("fz-2026-00003", ["3"]),  # case number, typed in lower case
    ("50%_", ["5"]),           # LIKE wildcards are taken literally
    ("%", ["5"]),
    ("纠纷", ["3"]),
    ("没有这个词", []),
])
def test_text_search(table, text, expected):
    assert case_nos(table, CaseFilter(text=text)) == expected


def test_rows_carry_current_values_and_handlers(table):
    with table.session() as session:
        [row] = repository.page_case_rows(session, filters=CaseFilter(text="橡树湾"), order_by="case_no",
                                          descending=False, offset=0, limit=5)
    assert row.handlers == ("李书记", "赵调解员") and row.leader == "李书记"
    assert row.status == Status.DISPATCHED and row.risk == Risk.RED and row.grade == Grade.DIFFICULT
    assert row.received_at == t("2026-03-02 09:00") and row.version == 1


def test_iter_cases_returns_everything_in_order_one_batch_at_a_time(table):
    statements = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().startswith("SELECT") and "FROM cases" in statement:
            statements.append(statement)

    event.listen(table.engine, "before_cursor_execute", count)
    try:
        with table.session() as session:
            stream = repository.iter_cases(session, batch=2)
            first = next(stream)
            assert len(statements) == 1  # only the first batch has been read
            rest = list(stream)
    finally:
        event.remove(table.engine, "before_cursor_execute", count)
    cases = [first, *rest]
    assert [c.case_no[-1] for c in cases] == list("123456")
    assert len(statements) == 4  # 2 + 2 + 2 and the empty fourth read
    assert cases[1].events and cases[1].parties  # whole cases


def test_iter_cases_filters(table):
    with table.session() as session:
        window = list(repository.iter_cases(session, received_from=t("2026-03-03 00:00"),
                                            received_to=t("2026-03-05 09:00"), batch=1))
        dispatched = list(repository.iter_cases(session, statuses=["dispatched"]))
    assert [c.case_no[-1] for c in window] == ["3", "4"]
    assert [c.case_no[-1] for c in dispatched] == ["2"]
