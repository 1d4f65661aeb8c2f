"""The command line's prevention commands (issue 14): import and export of the registers, the
patrol log, warnings, the key-person register, the prevention clocks and the review of persons
who may be one. `cli` wires them in; refusals are raised and `cli.main` turns them into exit 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path

EXIT_OK, EXIT_REFUSED = 0, 1

# args.what of `import` and `export` handled here, with the service function of each.
_IMPORTS = {"grids": "import_grids", "beats": "import_beats", "persons": "import_persons",
            "key-persons": "import_key_persons", "patrols": "import_patrols"}
_EXPORTS = {"grids": "export_grids", "persons": "export_persons", "key-persons": "export_key_persons",
            "patrols": "export_patrols"}
IMPORTS: frozenset[str] = frozenset(_IMPORTS)
EXPORTS: frozenset[str] = frozenset(_EXPORTS)
ROLE_LABELS = ("网格员", "包村民警", "治安信息员")


def _date(text: str) -> date:
    from jingyuan_desktop.cli import _date as parse

    return parse(text)


def _moment(text: str) -> datetime:
    from jingyuan_desktop.cli import _moment as parse

    return parse(text)


def _role(text: str):
    from jingyuan_desktop.domain.enums import DomainError
    from jingyuan_desktop.domain.prevention import PatrolRole

    try:
        return PatrolRole(PatrolRole.parse(text))
    except DomainError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def _risk(text: str):
    from jingyuan_desktop.domain.enums import DomainError, Risk

    try:
        return Risk(Risk.parse(text))
    except DomainError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def add_parsers(sub, imp, exp) -> None:
    """Add the prevention subcommands to the top-level parser and to `import` and `export`."""
    sheets = "（.xlsx 或 .csv，按表头中文列名识别；有一行出错则整个文件不导入）"
    for what, help_text in (("grids", "导入网格表：村（社区）、网格名称、网格长、网格员、联防联控点、起始日期"),
                            ("beats", "导入包村民警：包村民警、村（社区）、起始日期"),
                            ("persons", "导入人员：姓名、身份证号、电话、村（社区）、网格、住址"),
                            ("key-persons", "导入重点人员：姓名、身份证号、电话、村（社区）、网格、类型、责任人、"
                                            "管控措施、走访周期（天）、列管日期"),
                            ("patrols", "导入走访记录：走访时间、走访人、类型、村（社区）、网格、走访户数、发现情况")):
        imp.add_parser(what, help=help_text + sheets).add_argument("file", type=Path)
    for what, help_text, personal in (("grids", "导出网格表", False), ("persons", "导出人员（默认打码）", True),
                                      ("key-persons", "导出重点人员名册（默认打码，记入审计日志）", True),
                                      ("patrols", "导出走访记录", True)):
        out = exp.add_parser(what, help=help_text + "（.xlsx 或 .csv，列名与导入相同，可再导入）")
        out.add_argument("--out", type=Path, required=True)
        if what == "patrols":
            out.add_argument("--from", dest="start", type=_date, help="起始日期 YYYY-MM-DD")
            out.add_argument("--to", dest="end", type=_date, help="截止日期 YYYY-MM-DD（含当天）")
        if personal:
            out.add_argument("--unmasked", action="store_true", help="不打码（须有相应权限，记入审计日志）")

    patrol = sub.add_parser("patrol", help="排查走访记录").add_subparsers(dest="what", metavar="操作", required=True)
    add = patrol.add_parser("add", help="登记一次走访，输出其编号")
    add.add_argument("--worker", required=True, help="走访人姓名")
    add.add_argument("--village", required=True, help="村（社区）")
    add.add_argument("--grid", default="", help="网格（不填：只记到村）")
    add.add_argument("--role", type=_role, default=None, help="网格员（默认）、包村民警 或 治安信息员")
    add.add_argument("--at", type=_moment, help="走访时间 \"YYYY-MM-DD HH:MM\"（默认现在）")
    add.add_argument("--households", type=int, default=0, help="走访户数")
    add.add_argument("--findings", default="", help="发现的情况")
    listing = patrol.add_parser("list", help="列出走访记录")
    listing.add_argument("--from", dest="start", type=_date)
    listing.add_argument("--to", dest="end", type=_date)
    listing.add_argument("--village")
    listing.add_argument("--json", action="store_true")
    case = patrol.add_parser("case", help="把走访发现的情况转为案件，输出案件编号")
    case.add_argument("patrol_no", type=int, metavar="PATROL_NO")
    case.add_argument("--category", required=True, help="案件类别")
    case.add_argument("--risk", type=_risk, required=True, help="风险：红、黄 或 蓝")
    case.add_argument("--summary", default="", help="简要情况（默认：走访发现的情况）")
    for what, help_text in (("stats", "排查预防统计：主动发现率、巡查走访完成率（按网格、包村民警）、"
                                      "重点人员按时走访率"),
                            ("rewards", "治安信息员、网格员报告转为案件的情况（奖励名单）")):
        figures = patrol.add_parser(what, help=help_text + "（默认本月）")
        figures.add_argument("--from", dest="start", type=_date, help="起始日期 YYYY-MM-DD（默认本月1日）")
        figures.add_argument("--to", dest="end", type=_date, help="截止日期 YYYY-MM-DD（含当天，默认今天）")
        figures.add_argument("--json", action="store_true")

    warning = sub.add_parser("warning", help="预警（隐患或敏感时期）").add_subparsers(
        dest="what", metavar="操作", required=True)
    wadd = warning.add_parser("add", help="发布预警，输出其编号")
    wadd.add_argument("--from", dest="start", type=_date, required=True, help="开始日期 YYYY-MM-DD")
    wadd.add_argument("--to", dest="end", type=_date, required=True, help="结束日期 YYYY-MM-DD（含当天）")
    wadd.add_argument("--text", required=True, help="预警内容")
    wadd.add_argument("--village", action="append", default=[], help="涉及的村（社区），可多次给出；不给：全镇")
    wadd.add_argument("--grid", action="append", default=[], help="涉及的网格，写作“村/网格”，可多次给出")
    wadd.add_argument("--daily", action="store_true", help="预警期间巡查、走访改为每日一次")
    wlist = warning.add_parser("list", help="列出未结束的预警")
    wlist.add_argument("--all", action="store_true", help="也列出已结束的预警")
    wlist.add_argument("--json", action="store_true")
    warning.add_parser("withdraw", help="撤销预警").add_argument("warning_no", type=int, metavar="NO")

    kp = sub.add_parser("key-persons", help="重点人员名册（每次查看记入审计日志）").add_subparsers(
        dest="what", metavar="操作", required=True)
    klist = kp.add_parser("list", help="列出重点人员（姓名、电话打码）")
    klist.add_argument("--unmasked", action="store_true", help="不打码（须有相应权限，记入审计日志）")
    klist.add_argument("--all", action="store_true", help="也列出已撤销列管的")
    klist.add_argument("--json", action="store_true")
    visit = kp.add_parser("visit", help="登记一次走访")
    visit.add_argument("key_person_no", type=int, metavar="NO")
    visit.add_argument("--by", required=True, help="走访人")
    visit.add_argument("--at", type=_moment, help="走访时间 \"YYYY-MM-DD HH:MM\"（默认现在）")
    visit.add_argument("--note", default="", help="走访情况")

    duties = sub.add_parser("duties", help="排查时限：网格巡查、民警进村走访、重点人员走访")
    duties.add_argument("--all", action="store_true", help="本年全部（含已完成），不只是待办和近期超时")
    duties.add_argument("--json", action="store_true")

    persons = sub.add_parser("persons", help="人员记录：核对可能是同一人的记录").add_subparsers(
        dest="what", metavar="操作", required=True)
    review = persons.add_parser("review", help="列出可能是同一人的记录对")
    review.add_argument("--json", action="store_true")
    for what, help_text in (("merge", "确认为同一人：合并到编号较小的记录"), ("distinct", "确认为两个人，不再提示")):
        pair = persons.add_parser(what, help=help_text)
        pair.add_argument("first", type=int, metavar="A")
        pair.add_argument("second", type=int, metavar="B")


def run_import(ctx, args) -> int:
    from jingyuan_desktop.services.prevention import sheets

    report = getattr(sheets, _IMPORTS[args.what])(ctx, args.file)
    for line in report.lines():
        print(line, file=sys.stderr)
    print(report.summary(), file=sys.stderr if report.rejected else sys.stdout)
    return EXIT_REFUSED if report.rejected else EXIT_OK


def run_export(ctx, args) -> int:
    from jingyuan_desktop.services.prevention import sheet_export

    export = getattr(sheet_export, _EXPORTS[args.what])
    unmasked = getattr(args, "unmasked", False)
    if args.what == "grids":
        count = export(ctx, args.out)
    elif args.what == "patrols":
        count = export(ctx, args.out, start=args.start, end=args.end, unmasked=unmasked)
    else:
        count = export(ctx, args.out, unmasked=unmasked)
    note = "（未打码，已记入审计日志）" if unmasked else ""
    print(f"已导出 {count} 行到 {args.out}{note}")
    return EXIT_OK


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _print_json(rows) -> int:
    print(json.dumps(rows, ensure_ascii=False, indent=2))
    return EXIT_OK


# ---- patrol -------------------------------------------------------------------------------
def cmd_patrol(ctx, args) -> int:
    from jingyuan_desktop.domain.prevention import Patrol, PatrolRole
    from jingyuan_desktop.domain.privacy import mask_numbers_in_text
    from jingyuan_desktop.services.prevention import records

    if args.what == "add":
        patrol = Patrol(args.at or ctx.now(), args.worker.strip(), args.role or PatrolRole.GRID_WORKER,
                        args.village.strip(), args.grid.strip(), households=args.households,
                        findings=args.findings.strip())
        [number] = records.record_patrols(ctx, [patrol])
        print(f"已登记走访记录 {number}")
        return EXIT_OK
    if args.what in ("stats", "rewards"):
        return _patrol_figures(ctx, args)
    if args.what == "case":
        result = records.finding_to_case(ctx, args.patrol_no, category=args.category, risk=args.risk,
                                         summary=args.summary)
        print(f"已转为案件 {result.case_no}")
        if result.repeat_of:
            print(f"{result.case_no} 与 {result.repeat_of} 重复报警（{result.repeat_reason}）")
        return EXIT_OK
    found = records.patrols(ctx, args.start, args.end, village=args.village)
    if args.json:
        return _print_json([{"id": p.id, "at": p.at.isoformat(), "worker": p.worker, "role": p.role.value,
                             "role_label": p.role.label, "village": p.village, "grid": p.grid,
                             "households": p.households, "findings": mask_numbers_in_text(p.findings),
                             "case_no": p.case_no} for p in found])
    print(f"走访记录：共 {len(found)} 条")
    for p in found:
        place = f"{p.village}/{p.grid}" if p.grid else p.village
        print(f"{p.id}\t{p.at:%Y-%m-%d %H:%M}\t{p.role.label}\t{p.worker}\t{place}\t{p.households}户\t"
              f"{mask_numbers_in_text(p.findings) or '—'}\t{p.case_no or '—'}")
    return EXIT_OK


# ---- warning ------------------------------------------------------------------------------
def _patrol_figures(ctx, args) -> int:
    from jingyuan_desktop.domain.calendar import local
    from jingyuan_desktop.domain.enums import DomainError
    from jingyuan_desktop.domain.prevention_clocks import rate_text
    from jingyuan_desktop.services.prevention import duties

    today = local(ctx.now()).date()
    first, last = args.start or today.replace(day=1), args.end or today
    if last < first:
        raise DomainError("截止日期早于起始日期")
    if args.what == "rewards":
        rows = duties.reward_list(ctx, first, last)
        if args.json:
            return _print_json([{"reporter": r[0], "role": r[1], "cases": r[2], "resolved": r[3], "open": r[4]}
                                for r in rows])
        print(f"{first} 至 {last} 报告转为案件：共 {sum(r[2] for r in rows)} 件")
        for reporter, role, count, resolved, still_open in rows:
            print(f"{reporter}\t{role}\t转为案件 {count} 件\t已化解 {resolved} 件\t在办 {still_open} 件")
        return EXIT_OK
    fig = duties.figures(ctx, first, last)
    if args.json:
        return _print_json({
            "from": first.isoformat(), "to": last.isoformat(), "found": fig.found, "cases": fig.cases,
            "by_source": fig.by_source, "patrol_done": fig.patrol_done, "patrol_due": fig.patrol_due,
            "visits_met": fig.visits_met, "visits_due": fig.visits_due, "overdue_now": fig.overdue_now,
            "grids": [{"grid": r.key, "village": r.village, "done": r.done, "due": r.due} for r in fig.grids],
            "officers": [{"beat": r.key, "village": r.village, "done": r.done, "due": r.due} for r in fig.officers]})
    print(f"{first} 至 {last}")
    for line in (duties.found_first_text(fig), duties.patrol_text(fig), duties.visits_text(fig)):
        print(line)
    for row in [*fig.grids, *fig.officers]:
        print(f"{row.key}\t{row.done}/{row.due}\t{rate_text(row.done, row.due)}")
    return EXIT_OK


def cmd_warning(ctx, args) -> int:
    from jingyuan_desktop.domain.calendar import local
    from jingyuan_desktop.domain.prevention import Warning
    from jingyuan_desktop.services.prevention import records

    if args.what == "add":
        number = records.add_warning(ctx, Warning(args.start, args.end, args.text, villages=tuple(args.village),
                                                  grids=tuple(args.grid), daily_patrols=args.daily))
        print(f"已发布预警 {number}")
        return EXIT_OK
    if args.what == "withdraw":
        records.withdraw_warning(ctx, args.warning_no)
        print(f"已撤销预警 {args.warning_no}")
        return EXIT_OK
    today = local(ctx.now()).date()
    found = records.warnings(ctx, current_on=None if args.all else today)
    if args.json:
        return _print_json([{"id": w.id, "starts": w.starts.isoformat(), "ends": w.ends.isoformat(), "text": w.text,
                             "villages": list(w.villages), "grids": list(w.grids), "daily_patrols": w.daily_patrols,
                             "current": w.covers_day(today)} for w in found])
    print(f"预警：共 {len(found)} 条")
    for w in found:
        where = "、".join([*w.villages, *w.grids]) or "全镇"
        state = "进行中" if w.covers_day(today) else "未开始" if w.starts > today else "已结束"
        daily = "每日巡查" if w.daily_patrols else "—"
        print(f"{w.id}\t{w.starts}至{w.ends}\t{state}\t{where}\t{daily}\t{w.text}")
    return EXIT_OK


# ---- key persons --------------------------------------------------------------------------
def cmd_key_persons(ctx, args) -> int:
    from jingyuan_desktop.domain.prevention import KeyPersonVisit
    from jingyuan_desktop.services.prevention import records, sheet_export

    if args.what == "visit":
        number = records.record_visit(ctx, KeyPersonVisit(args.key_person_no, args.at or ctx.now(), args.by.strip(),
                                                          args.note.strip()))
        print(f"已登记重点人员 {args.key_person_no} 的走访（记录 {number}）")
        return EXIT_OK
    lines = sheet_export.register_lines(ctx, unmasked=args.unmasked, include_ended=args.all)
    due = _next_visits(ctx, lines)
    rows = [_register_row(line, args.unmasked, due.get(line.entry.id or 0)) for line in lines]
    if args.json:
        return _print_json(rows)
    print(f"重点人员：共 {len(rows)} 人" + ("（未打码，已记入审计日志）" if args.unmasked else ""))
    for r in rows:
        place = f"{r['village']}/{r['grid']}" if r["grid"] else r["village"]
        last = r["last_visit"][:16].replace("T", " ") if r["last_visit"] else "未走访"
        next_due = f"应于 {r['due_day']} 前走访（{r['state_label']}）" if r["due_day"] else "—"
        print(f"{r['id']}\t{r['name']}\t{r['phone'] or '—'}\t{r['type_label']}\t{place or '—'}\t"
              f"责任人 {r['responsible']}\t上次走访 {last}\t{next_due}")
    return EXIT_OK


def _register_row(line, unmasked: bool, duty) -> dict:
    from jingyuan_desktop.domain.privacy import mask_id_number, mask_name, mask_people_in_text, mask_phone

    entry, citizen = line.entry, line.citizen
    return {
        "id": entry.id, "citizen_id": citizen.id,
        "name": citizen.name if unmasked else mask_name(citizen.name),
        "phone": citizen.phone if unmasked else mask_phone(citizen.phone),
        "id_number": citizen.id_number if unmasked else mask_id_number(citizen.id_number),
        "type": entry.type, "type_label": entry.type_label, "responsible": entry.responsible,
        "measures": entry.measures if unmasked else mask_people_in_text(entry.measures, [citizen.name]),
        "visit_days": entry.visit_days, "since": _iso(entry.since),
        "ended": _iso(entry.ended), "village": entry.village, "grid": entry.grid,
        "last_visit": line.last_visit.at.isoformat() if line.last_visit else None,
        "due_day": _iso(duty.due_day) if duty else None,
        "state": duty.state.value if duty else None, "state_label": duty.state.label if duty else None,
    }


def _next_visits(ctx, lines) -> dict:
    """The open visit duty of each key person (the last duty while none is open)."""
    from jingyuan_desktop.domain.prevention_clocks import key_person_duties
    from jingyuan_desktop.services.prevention import records

    values = records.settings(ctx)
    now = ctx.now()
    out = {}
    for line in lines:
        visits = [line.last_visit] if line.last_visit else []
        found = key_person_duties(line.entry, visits, now, values)
        open_ = [d for d in found if d.is_open]
        if open_ or found:
            out[line.entry.id or 0] = (open_ or found)[-1]
    return out


# ---- duties -------------------------------------------------------------------------------
def cmd_duties(ctx, args) -> int:
    from jingyuan_desktop.domain.calendar import local
    from jingyuan_desktop.services.prevention import duties

    now = ctx.now()
    # --all: the year so far, done or not; else what the timer panel shows.
    found = duties.duties(ctx, date(local(now).year, 1, 1), now) if args.all else duties.current_duties(ctx, now)
    if args.json:
        return _print_json([{"name": d.name.value, "name_label": d.name.label, "subject": d.subject,
                             "label": d.label, "owner": d.owner, "village": d.village,
                             "period_start": d.period_start.isoformat(), "due_at": d.due_at.isoformat(),
                             "state": d.state.value, "done_at": _iso(d.done_at)} for d in found])
    print(f"排查时限（截至 {local(now):%Y-%m-%d %H:%M}）：共 {len(found)} 项")
    for d in found:
        done = f"完成于 {local(d.done_at):%m-%d %H:%M}" if d.done_at else "—"
        # A duty is due at the end of its last day: 24:00 reads right, 00:00 of the next day does not.
        print(f"{d.name.label}\t{d.label}\t{d.owner}\t{d.due_day} 24:00\t{d.state.label}\t{done}")
    return EXIT_OK


# ---- persons ------------------------------------------------------------------------------
def cmd_persons(ctx, args) -> int:
    from jingyuan_desktop.services.prevention import records

    if args.what in ("merge", "distinct"):
        same = args.what == "merge"
        records.decide_pair(ctx, args.first, args.second, same=same)
        if same:
            keep, drop = sorted((args.first, args.second))
            print(f"已将人员记录 {drop} 合并到 {keep}")
        else:
            print(f"已记为两个人：{args.first} 与 {args.second}，不再提示")
        return EXIT_OK
    pairs = records.review_pairs(ctx)
    if args.json:
        return _print_json([{"first": _person(a), "second": _person(b), "reason": reason} for a, b, reason in pairs])
    print(f"可能是同一人的记录：共 {len(pairs)} 对（合并：jingyuan persons merge A B；"
          "不是同一人：jingyuan persons distinct A B）")
    for a, b, reason in pairs:
        print(f"{a.id}\t{b.id}\t{reason}\t{_person_text(a)}\t{_person_text(b)}")
    return EXIT_OK


def _person(citizen) -> dict:
    """A person in the review: the name in full (the administrator decides by it), phone and
    ID number masked."""
    from jingyuan_desktop.domain.privacy import mask_id_number, mask_phone

    return {"id": citizen.id, "name": citizen.name, "phone": mask_phone(citizen.phone),
            "id_number": mask_id_number(citizen.id_number), "village": citizen.village, "grid": citizen.grid}


def _person_text(citizen) -> str:
    p = _person(citizen)
    return " ".join(str(v) for v in (p["name"], p["phone"], p["id_number"], p["village"]) if v)


COMMANDS = {
    "patrol": cmd_patrol,
    "warning": cmd_warning,
    "key-persons": cmd_key_persons,
    "duties": cmd_duties,
    "persons": cmd_persons,
}
