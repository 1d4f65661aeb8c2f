"""The case table's search on the stored search text (issue 12) finds exactly what the search
over each column and the parties finds, and `jingyuan check` verifies the stored text."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from jingyuan_desktop.domain.listing import SEARCH_SEPARATOR, CaseFilter
from jingyuan_desktop.services import derived, queries
from jingyuan_desktop.store import repository
from jingyuan_desktop.store.models import CaseModel
from tests.services.conftest import build_template, context_on_copy


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_template(tmp_path_factory, "search", cases=300, seed=11)


@pytest.fixture
def ctx(template, tmp_path):
    yield from context_on_copy(template, tmp_path)


def found(ctx, filters: CaseFilter) -> tuple[int, list[str]]:
    with ctx.session() as session:
        count = repository.count_cases(session, filters=filters)
        rows = repository.page_case_rows(session, filters=filters, order_by="received_at", descending=True,
                                         offset=0, limit=500)
    return count, [r.case_no for r in rows]


def words(ctx) -> list[str]:
    """Words a clerk types: part of a summary, a place, a party's name and phone, a case number
    in lower case, and a text found nowhere."""
    with ctx.session() as session:
        case = next(c for c in repository.iter_cases(session) if c.parties and c.location)
    party = case.parties[0]
    return [case.summary[2:6], case.location[:2], party.name, party.phone[3:8], case.case_no.lower(),
            "没有这几个字"]


def test_the_stored_search_finds_what_the_search_over_each_column_finds(ctx):
    assert derived.fresh_rules(ctx) is not None
    for word in words(ctx):
        old = found(ctx, CaseFilter(text=word))
        stored = found(ctx, CaseFilter(text=word, text_stored=True))
        assert stored == old, word
    assert found(ctx, CaseFilter(text="没有这几个字", text_stored=True)) == (0, [])


def test_the_services_search_the_stored_text_only_while_it_is_fresh(ctx, monkeypatch):
    word = words(ctx)[0]
    seen: list[CaseFilter] = []
    original = repository.count_cases
    monkeypatch.setattr(repository, "count_cases", lambda session, filters=None: seen.append(filters) or
                        original(session, filters=filters))
    expected = queries.count_cases(ctx, CaseFilter(text=word))
    assert seen[-1].text_stored
    monkeypatch.setattr(derived, "fresh_rules", lambda _ctx: None)
    assert queries.count_cases(ctx, CaseFilter(text=word)) == expected
    assert not seen[-1].text_stored


def test_a_field_never_matches_across_into_the_next(ctx):
    from jingyuan_desktop.domain.enums import Source
    from jingyuan_desktop.domain.model import Case, Party
    from jingyuan_desktop.services import cases

    result = cases.intake(ctx, Case(received_at=ctx.now(), village="解营村", summary="甲乙摸底", category="未分类",
                                    location="丙丁路口", source=Source.WALK_IN, parties=[Party("戊己", "13800009999")]))
    assert found(ctx, CaseFilter(text="乙摸底丙", text_stored=True)) == (0, [])  # summary into place
    assert found(ctx, CaseFilter(text="路口戊", text_stored=True)) == (0, [])  # place into a party
    assert found(ctx, CaseFilter(text="摸底", text_stored=True))[1] == [result.case_no]


def test_check_finds_a_stale_search_text_and_fix_repairs_it(ctx):
    with ctx.session() as session:
        case_no = session.scalars(CaseModel.__table__.select().with_only_columns(CaseModel.case_no).limit(1)).one()
        session.execute(update(CaseModel).where(CaseModel.case_no == case_no).values(search_text="旧的"))
    differences = derived.check(ctx)
    assert [(d.case_no, d.what) for d in differences] == [(case_no, "统计字段 search_text")]
    derived.recompute(ctx)
    assert derived.check(ctx) == []
    with ctx.session() as session:
        stored = session.scalar(CaseModel.__table__.select().with_only_columns(CaseModel.search_text)
                                .where(CaseModel.case_no == case_no))
    assert stored.split(SEARCH_SEPARATOR)[0] == case_no.lower()  # kept in small letters
