"""The words demo cases are made of (``resources/demo/texts.json``), and the phrase templates.

A template picks one alternative of "[甲|乙]"; "{n}" and friends are numbers, "{v}" the village.
"""

from __future__ import annotations

import json
import random
import re
from functools import lru_cache
from itertools import accumulate
from typing import Any

from jingyuan_desktop.resources import resource_path

_TOKEN = re.compile(r"\[([^\]]*)\]|\{(\w)\}")
_NUMBER_SLOTS = {"n": (1, 12), "k": (1, 86), "b": (1, 28), "u": (1, 4)}


class Phrase:
    """A parsed template: plain text, alternatives (a tuple) and slots (a one-item list)."""

    def __init__(self, template: str):
        self.parts: list[Any] = []
        position = 0
        for match in _TOKEN.finditer(template):
            if match.start() > position:
                self.parts.append(template[position:match.start()])
            if match.group(1) is not None:
                self.parts.append(tuple(match.group(1).split("|")))
            else:
                self.parts.append([match.group(2)])  # a list marks a slot
            position = match.end()
        if position < len(template):
            self.parts.append(template[position:])

    def render(self, rng: random.Random, village: str = "") -> str:
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, list):
                out.append(_slot(rng, part[0], village))
            else:
                out.append(rng.choice(part))
        return "".join(out)


def _slot(rng: random.Random, name: str, village: str) -> str:
    if name == "v":
        return village
    if name == "r":
        return f"{rng.randint(1, 26)}0{rng.randint(1, 4)}"
    low, high = _NUMBER_SLOTS[name]
    return str(rng.randint(low, high))


@lru_cache(maxsize=1)
def texts() -> dict[str, Any]:
    """The bundled word lists, with the summary and place templates parsed once."""
    raw = json.loads(resource_path("demo", "texts.json").read_text(encoding="utf-8"))
    raw["notes"] = {**raw["notes"], **NOTES_V2}
    raw["summary_phrases"] = {k: [Phrase(t) for t in v] for k, v in raw["summaries"].items()}
    raw["place_phrases"] = {
        kind: ([Phrase(t) for _, t in pairs], list(accumulate(w for w, _ in pairs)))
        for kind, pairs in raw["places"].items()
        if not kind.startswith("_")
    }
    return raw


# The words of version 2 of the rules (outcomes, reasons, 研判, the court's outcome, rolling
# visits). Kept here until they move to ``texts.json``; a key here wins over the file's.
NOTES_V2: dict[str, Any] = {
    "classified_transfer": ["根据警情内容分类定级", "核实警情后确定类别和风险颜色", "导入转交清单后分类"],
    "leader_criminal": ["有民转刑风险，指定包案领导", "存在激化风险，报请镇领导包案"],
    "resolved_on_site": ["经现场调解，双方达成一致意见", "讲明法律规定后，双方同意和解",
                         "当场协调解决，双方握手言和"],
    "resolved_agreement": ["经多次调解，双方签订调解协议", "双方达成书面协议，约定履行期限",
                           "在司法所指导下签订人民调解协议", "双方就赔偿数额达成一致，签订协议"],
    "resolved_explained": ["现场答复诉求，当事人表示理解", "讲明政策规定后，当事人表示认可",
                           "政策解释到位，当事人不再坚持原诉求"],
    "resolved_self_settled": ["双方已自行和解", "当事人表示已私下协商解决，撤回诉求",
                              "经亲友说和，双方自行和解"],
    "cancelled_duplicate": ["与{no}系同一事项，重复录入", "经核实与{no}为同一警情，重复转交"],
    "cancelled_entered_in_error": ["录入时选错警情，作废", "误将已处结的旧警情录入，作废"],
    "cancelled_not_our_remit": [
        "系劳动争议，属劳动人事争议仲裁受理范围，已告知当事人申请仲裁",
        "系商品房质量问题，属住建部门职责，已告知当事人反映渠道",
        "当事人已向法院起诉，已告知等待法院审理",
        "涉及医疗纠纷，已告知当事人向医调委申请调解",
        "系网购纠纷，已告知当事人向市场监管部门投诉",
    ],
    "returned_to_police": [
        "双方互殴致一方受伤，涉嫌违反治安管理，需依法处罚",
        "一方酒后滋事、殴打他人，超出调解范围，需启动处罚程序",
        "一方持械威胁，存在民转刑风险，需公安机关依法处理",
        "涉嫌故意损毁他人财物，属治安案件，移交派出所处理",
    ],
    "returned_note": ["已电话告知转交民警，移交现场材料", "处置人员现场固定证据后移交派出所"],
    "police_feedback_returned": ["已将移交理由及材料反馈派出所，由民警依法处理",
                                 "电话告知转交民警：已移交公安处理"],
    "police_feedback_declined": ["已告知派出所：不属治理办职责范围，已引导当事人",
                                 "电话反馈转交民警：非职责范围，已告知当事人"],
    "dispatch_refused": ["交办后处置人员未按时到场，电话催促无果", "村（社区）称不属本辖区，推诿未处置",
                         "书记外出，村里未安排人员到场"],
    "redispatched": ["原处置人员未到场，重新交办并通知治理办工作人员跟进", "重新交办，明确带队负责人"],
    "second_dispatch": ["按研判方案二次交办，治理办工作人员带队", "二次处置：治理办牵头，村（社区）配合"],
    "analysis_note": ["治理办调阅前次处置记录后研判", "治理办研判，形成二次处置方案"],
    "analysis_repeat": [
        "系多次报警，前次处置未根治。由社区民警会同村（社区）调解员上门，查清反复原因，一并化解",
        "同一报警人再次报警。治理办工作人员参与处置，约谈双方，明确责任，防止再次反复",
        "同一地点再次发生纠纷。派出所民警共同到场，必要时固定证据，研究根治办法",
    ],
    "analysis_second": [
        "村级调解未成。由治理办牵头二次处置，社区民警参与，分别做双方工作",
        "分歧集中在赔偿数额。治理办工作人员带队二次处置，依法提出调解方案，再次组织调解",
        "矛盾有激化倾向。民警参与二次处置，稳控双方情绪，摸清诉求后再调",
    ],
    "court_outcome": {
        "mediated": ["智慧法庭诉前调解成功，出具调解书", "经法庭诉调对接，双方达成调解"],
        "judged": ["法院已作出判决，当事人表示服判", "法院判决已生效"],
        "withdrawn": ["当事人撤回起诉，双方已自行和解", "原告撤诉，纠纷已平息"],
        "returned": ["法庭诉前调解未成，退回镇治理办继续化解", "法庭退回，建议属地继续调处"],
    },
    "follow_visit": {
        "kept": ["定期回访：协议履行良好，双方未再发生纠纷", "定期回访：当事人表示对方按约履行",
                 "定期回访：双方关系平稳，无反复"],
        "broken": ["定期回访：对方未按协议按期履行，已督促履行并报治理办",
                   "定期回访：约定款项尚未支付，已联系村调解员跟进"],
    },
}


def party_name_parts() -> tuple[str, str, str]:
    """The surname and given-name characters fictional parties are built from."""
    words = texts()
    return words["surnames"], words["given_first"], words["given_second"]
