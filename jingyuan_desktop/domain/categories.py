"""The two-level category tree (性质). The default is built from the categories the seeds name;
the office edits its own copy, so nothing here is read after the database is created."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from jingyuan_desktop.domain.enums import DomainError

# major class -> minor classes
DEFAULT_TREE: dict[str, tuple[str, ...]] = {
    "婚姻家庭": ("婚恋纠纷", "家庭矛盾", "赡养抚养"),
    "邻里纠纷": ("相邻关系", "宅基地纠纷", "生活琐事"),
    "物业管理": ("物业服务", "物业收费", "公共设施"),
    "经济纠纷": ("小额民间借贷", "劳资纠纷", "人身损害财产赔偿", "行业纠纷"),
    "土地纠纷": ("土地承包", "征地补偿", "林地权属"),
    "求助": ("生活求助", "寻人寻物", "其他求助"),
}


# A transfer imported from the police list has not been classified yet; dispatch waits for it.
UNCLASSIFIED = "未分类"


class CategoryTree:
    """Names are unique across both levels, so a case may name a major or a minor class."""

    def __init__(self, tree: Mapping[str, Iterable[str]]):
        self.tree = {major: tuple(minors) for major, minors in tree.items()}
        self._major_of: dict[str, str] = {}
        for major, minors in self.tree.items():
            for name in (major, *minors):
                if name in self._major_of:
                    raise DomainError(f"类别名称“{name}”重复")
                self._major_of[name] = major

    def __contains__(self, name: str) -> bool:
        return name in self._major_of

    def major_of(self, name: str) -> str:
        try:
            return self._major_of[name]
        except KeyError:
            raise DomainError(f"未知的类别“{name}”") from None

    def names(self) -> list[str]:
        return list(self._major_of)

    def search(self, text: str) -> list[str]:
        """Names containing ``text``, majors listed before their minors."""
        text = text.strip()
        return [name for name in self._major_of if text in name]


def default_tree() -> CategoryTree:
    return CategoryTree(DEFAULT_TREE)
