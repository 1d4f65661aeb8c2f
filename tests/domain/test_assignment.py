from jingyuan_desktop.domain.assignment import rank_handlers
from jingyuan_desktop.domain.enums import PersonRole
from jingyuan_desktop.domain.model import Person

R = PersonRole


def test_village_then_skill_then_load():
    people = [
        Person("外村专家", R.EXPERT, None, skills=("邻里纠纷",)),
        Person("书记甲", R.SECRETARY, "解营村", skills=("物业管理",)),
        Person("调解员乙", R.MEDIATOR, "解营村", skills=("相邻关系",)),
        Person("网格员丙", R.GRID_WORKER, "解营村", skills=("邻里纠纷",)),
        Person("网格员丁", R.GRID_WORKER, "解营村", skills=("邻里纠纷",)),
    ]
    ranked = rank_handlers(people, village="解营村", category="相邻关系", major_category="邻里纠纷",
                           open_cases={"网格员丙": 3, "网格员丁": 1})
    assert [s.person.name for s in ranked] == ["调解员乙", "网格员丁", "网格员丙", "书记甲", "外村专家"]
    assert ranked[0].reason == "本村（社区）处置队伍，擅长相邻关系，在办0件"
    assert ranked[1].reason == "本村（社区）处置队伍，擅长邻里纠纷，在办1件"
    assert "本村" not in ranked[-1].reason
