"""The office's category tree (大类 -> 小类)."""

from __future__ import annotations

from collections import Counter

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.categories import UNCLASSIFIED, CategoryTree
from jingyuan_desktop.domain.enums import DomainError
from jingyuan_desktop.services.admin.names import clean_name
from jingyuan_desktop.services.context import AppContext, ServiceError
from jingyuan_desktop.store import repository
from jingyuan_desktop.store.repository import CaseFilter


def save_category_tree(ctx: AppContext, tree: dict[str, list[str]]) -> None:
    """Make ``tree`` (major class -> minor classes) the office's category tree.

    Names must be unique across both levels. A class that cases are filed under cannot be
    removed or renamed; the refusal names each such class and how many cases use it.
    """
    ctx.require(Permission.EDIT_REFERENCE)
    clean: dict[str, list[str]] = {}
    for major, minors in tree.items():
        major_name = clean_name(major, "大类名称")
        clean[major_name] = [clean_name(minor, f"“{major_name}”下的小类名称") for minor in minors]
    if not clean:
        raise ServiceError("类别不能全部删除，请至少保留一个大类")
    names = [n for major, minors in clean.items() for n in (major, *minors)]
    if UNCLASSIFIED in names:
        raise ServiceError(f"“{UNCLASSIFIED}”是系统保留的名称，请换一个")
    repeated = [n for n, count in Counter(names).items() if count > 1]
    if repeated:
        raise ServiceError(f"类别名称不能重复（大类与小类之间也不能重名）：{'、'.join(repeated)}")
    try:
        CategoryTree(clean)
    except DomainError as error:
        raise ServiceError(error.message) from None
    now = ctx.now()
    with ctx.session() as session:
        removed = [n for n in repository.category_tree(session).names() if n not in set(names)]
        used = [(n, repository.count_cases(session, filters=CaseFilter(categories=[n]))) for n in removed]
        used = [(n, count) for n, count in used if count]
        if used:
            listed = "、".join(f"“{n}”（{count}件）" for n, count in used)
            raise ServiceError(f"以下类别已有案件使用，不能删除或改名：{listed}。"
                               "可以保留原名称，另加新类别供今后使用。")
        repository.replace_category_tree(session, clean, user=ctx.user, at=now)
