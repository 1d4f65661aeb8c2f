"""`jingyuan`: the command line, a second door onto the same services the window uses.

Exit codes: 0 done, 1 the user's input was refused (Chinese message on stderr), 2 usage.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
from datetime import date, datetime
from pathlib import Path

from jingyuan_desktop import __version__, lifetime
from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.statistics import FIGURE_LABELS, figure_text
from jingyuan_desktop.log import setup_logging

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


# argparse's own words (usage, the help option, its error messages), in Chinese. argparse looks
# each one up through its module's gettext function when it prints, so that function is
# replaced for this program's parser.
ARGPARSE_CHINESE = {
    "usage: ": "用法：",
    "positional arguments": "命令与参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "该参数需要一个值",
    "expected at least one argument": "该参数至少需要一个值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "有歧义的选项：%(option)s 可能是 %(matches)s",
    "one of the arguments %s is required": "须给出参数 %s 之一",
}


def _chinese(message: str) -> str:
    return ARGPARSE_CHINESE.get(message, message)


argparse._ = _chinese  # type: ignore[attr-defined]  # argparse's module-level gettext alias


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"时间格式应为 \"YYYY-MM-DD HH:MM\"：{text}") from None
    return moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment.astimezone(TZ)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jingyuan",
        description="警源治理工作台：不带子命令时打开主窗口。",
    )
    parser.add_argument("--db", metavar="PATH_OR_URL",
                        help="数据库文件路径或 SQLAlchemy URL（默认：用户数据目录下的 jingyuan.db）")
    parser.add_argument("--user", help="账号名称；启用账号后每条命令都须给出，密码在提示时输入"
                                       "（脚本可用环境变量 JINGYUAN_PASSWORD）。"
                                       "未启用账号时记录为操作人，默认为系统登录名")
    parser.add_argument("--verbose", action="store_true", help="在终端显示详细运行记录（也写入日志文件）")
    parser.add_argument("--version", action="version", version=f"jingyuan {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    sub.add_parser("init", help="创建或升级数据库（升级后重算各案件所存的时限与统计字段）")

    demo = sub.add_parser("demo", help="向空数据库装入演示数据（房镇镇的村居、派出所、部门、虚构人员和案件）")
    demo.add_argument("--cases", type=int, default=2000, help="案件数（默认 2000）")
    demo.add_argument("--seed", type=int, default=0, help="随机种子（默认 0）")
    demo.add_argument("--if-empty", action="store_true", help="数据库已有案件时不报错，直接跳过")
    demo.add_argument("--prevention", action="store_true",
                      help="同时装入排查预防演示数据（网格、包村民警、重点人员、近几周走访记录和一条预警）")

    imp = sub.add_parser("import", help="导入").add_subparsers(dest="what", metavar="类型", required=True)
    transfers = imp.add_parser("transfers", help="导入派出所转交清单（.xlsx 或 .csv）")
    transfers.add_argument("file", type=Path)
    transfers.add_argument("--skip-invalid", action="store_true", help="跳过有问题的行，导入其余各行")
    cases_in = imp.add_parser("cases", help="导入案件交换文件（.json）")
    cases_in.add_argument("file", type=Path)

    exp = sub.add_parser("export", help="导出").add_subparsers(dest="what", metavar="类型", required=True)
    cases_out = exp.add_parser("cases", help="导出全部案件为交换文件（.json）")
    cases_out.add_argument("--out", type=Path, required=True)
    ledger = exp.add_parser("ledger", help="导出案件台账（.xlsx）")
    ledger.add_argument("--out", type=Path, required=True)
    ledger.add_argument("--from", dest="start", type=_date)
    ledger.add_argument("--to", dest="end", type=_date)
    ledger.add_argument("--unmasked", action="store_true", help="显示完整电话和身份证号（记入审计日志）")

    from jingyuan_desktop import cli_prevention

    cli_prevention.add_parsers(sub, imp, exp)

    dl = sub.add_parser("deadlines", help="各案件的时限，以及网格巡查、民警进村和重点人员走访的时限（含责任人）")
    dl.add_argument("--at", type=_moment, help="以该时刻为准（\"YYYY-MM-DD HH:MM\"，默认现在）；之后的记录不计")
    dl.add_argument("--all", action="store_true", help="也列出已按时完成和超时完成的时限")
    dl.add_argument("--json", action="store_true")

    st = sub.add_parser("stats", help="统计：化解率、满意率、回访率、按时到场率、办结率")
    st.add_argument("--by", choices=["village", "category", "major_category", "handler", "source", "month", "week",
                                     "grid"])
    st.add_argument("--from", dest="start", type=_date)
    st.add_argument("--to", dest="end", type=_date)
    fmt = st.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")

    pr = sub.add_parser("print", help="生成交办单、档案表或周例会材料（PDF）").add_subparsers(
        dest="what", metavar="类型", required=True)
    slip = pr.add_parser("slip", help="交办单（可一次给多个案件编号，每件一页）")
    slip.add_argument("case_nos", nargs="+", metavar="CASE_NO")
    slip.add_argument("--out", type=Path, required=True)
    archive = pr.add_parser("archive", help="案件档案表")
    archive.add_argument("case_no", metavar="CASE_NO")
    archive.add_argument("--out", type=Path, required=True)
    weekly = pr.add_parser("weekly", help="周例会材料（姓名打码，不含电话）")
    weekly.add_argument("--week", help="ISO 周，如 2026-W47（默认本周）")
    weekly.add_argument("--out", type=Path, required=True)

    au = sub.add_parser("audit", help="审计日志：查看谁在何时改动、导出了什么；--verify 校验日志未被篡改")
    au.add_argument("--verify", action="store_true", help="重新计算整条校验链，发现被改动、删除或插入的记录时退出码为1")
    au.add_argument("--from", dest="start", type=_date)
    au.add_argument("--to", dest="end", type=_date)
    au.add_argument("--user", dest="audit_user", metavar="姓名", help="只看此人的记录")
    au.add_argument("--json", action="store_true")

    us = sub.add_parser("users", help="账号管理（管理员）").add_subparsers(dest="what", metavar="操作", required=True)
    us_add = us.add_parser("add", help="新建账号（第一个账号须为管理员），密码在提示时输入两次")
    us_add.add_argument("name", metavar="NAME")
    us_add.add_argument("--role", required=True, help="admin 管理员、staff 工作人员、leader 领导、"
                                                      "police_liaison 派出所联络员、village 村（社区）账号")
    us_add.add_argument("--village", default="", help="村（社区）账号所属的村（社区）")
    us.add_parser("list", help="列出账号")
    us_disable = us.add_parser("disable", help="停用账号")
    us_disable.add_argument("name", metavar="NAME")
    us_passwd = us.add_parser("passwd", help="设置新密码（管理员可为任何账号设置，其他人只能改自己的）")
    us_passwd.add_argument("name", metavar="NAME")

    ck = sub.add_parser("check", help="按各案件的记录重新计算时限与统计字段，与库中所存逐一核对；有不一致时退出码为1")
    ck.add_argument("--fix", action="store_true", help="核对后按现行设置重算全部案件的所存时限与统计字段")

    bk = sub.add_parser("backup", help="备份数据库")
    bk.add_argument("--to", type=Path, help="备份到该文件夹（默认：数据库所在文件夹下的 backups）")
    rs = sub.add_parser("restore", help="从备份文件恢复数据库（恢复前自动备份当前数据库）")
    rs.add_argument("file", type=Path)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    log_file = setup_logging(verbose=args.verbose)
    if args.command is None:
        return open_window(args)
    from jingyuan_desktop.services.context import REFUSALS, AppContext

    logger.info("command %s by %s", " ".join(sys.argv[1:] if argv is None else argv), args.user)
    try:
        ctx = AppContext.open(args.db, user=args.user or system_user())
        lifetime.settle()  # the program and the open database: never walked by the collector again
        log_in(ctx, args)
        code = COMMANDS[args.command](ctx, args)
        warning = ctx.calendar_warning()
        if warning:
            print(warning, file=sys.stderr)
        return code
    except REFUSALS as error:
        logger.info("refused: %s", getattr(error, "message", error))
        print(getattr(error, "message", str(error)), file=sys.stderr)
        return EXIT_REFUSED
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return EXIT_REFUSED
    except Exception:
        # A fault of the program, not of the input: the traceback goes to the log, the user
        # gets a sentence and where to find it.
        logger.exception("command %s failed", args.command)
        where = f"详细信息已写入日志：{log_file}" if log_file else "请加 --verbose 重试以查看详细信息"
        print(f"程序出错，操作未完成。{where}", file=sys.stderr)
        return EXIT_REFUSED


def system_user() -> str:
    """The system's login name, recorded while the office has no accounts."""
    import getpass

    try:
        return getpass.getuser() or "治理办"
    except Exception:
        return "治理办"


def _password(prompt: str, env: str = "JINGYUAN_PASSWORD") -> str:
    import getpass
    import os

    if os.environ.get(env):
        return os.environ[env]
    if not sys.stdin.isatty():
        # A script may pipe the password in, one line each.
        line = sys.stdin.readline().rstrip("\r\n")
        if line:
            return line
        raise_refusal(f"请输入密码：在终端运行，或由脚本设置环境变量 {env}")
    return getpass.getpass(prompt)


def raise_refusal(message: str):
    from jingyuan_desktop.services.context import PermissionDenied

    raise PermissionDenied(message)


SHARED_NEEDS_ACCOUNTS = ("这是多台电脑共用的数据库（数据库服务器或网络路径），须先建立账号："
                         "jingyuan --db 同一数据库 users add 姓名 --role admin")


def log_in(ctx, args) -> None:
    """Once the database has an account, every command is run by a logged-in account."""
    from jingyuan_desktop.services import accounts

    if not ctx.accounts_exist():
        if ctx.db.is_shared and args.command not in ("init", "users"):
            raise_refusal(SHARED_NEEDS_ACCOUNTS)
        return
    if not args.user:
        raise_refusal("本数据库已启用账号：请用 --user 给出账号名称（密码在提示时输入）")
    accounts.log_in(ctx, args.user, _password(f"{args.user} 的密码："))


def gui_main() -> int:
    return main([])


def open_window(args) -> int:
    # No fallback to printing help: a window that cannot load is a fault to see, not hide.
    from jingyuan_desktop.ui.app import run

    return run(args.db, user=args.user or system_user())


def cmd_init(ctx, args) -> int:
    from jingyuan_desktop.services import derived, setup

    setup.ensure_defaults(ctx)
    # After an upgrade the stored clocks and figures are redone here rather than at the next
    # window start (until then every read would fall back to the timelines).
    redone = derived.ensure_fresh(ctx, progress=_stderr_progress("重算时限"))
    if redone:
        print(f"已按现行设置重算 {redone} 件案件的时限与统计字段。")
    _link_parties(ctx)  # cases stored before persons were kept (issue 14)
    print(f"数据库已就绪：{ctx.db.url}")
    return EXIT_OK


def cmd_demo(ctx, args) -> int:
    from jingyuan_desktop.services import setup

    count = setup.load_demo(ctx, cases=args.cases, seed=args.seed, if_empty=args.if_empty,
                            prevention=args.prevention)
    if count is None:
        print("数据库中已有案件，未装入演示数据。")
    else:
        print(f"已装入演示数据：{count} 个案件。数据库：{ctx.db.url}")
    return EXIT_OK


def cmd_import(ctx, args) -> int:
    from jingyuan_desktop import cli_prevention
    from jingyuan_desktop.services import files

    if args.what in cli_prevention.IMPORTS:
        return cli_prevention.run_import(ctx, args)
    if args.what == "cases":
        count = files.import_cases(ctx, args.file)
        print(f"已导入 {count} 个案件。")
        _link_parties(ctx)
        return EXIT_OK
    report = files.import_transfers(ctx, args.file, skip_invalid=args.skip_invalid)
    for line in report.lines():
        print(line, file=sys.stderr if line.startswith("第") else sys.stdout)
    print(report.summary())
    if report.imported:
        _link_parties(ctx)
    return EXIT_REFUSED if report.rejected else EXIT_OK


def _link_parties(ctx) -> None:
    """The new cases' parties joined to the person records (issue 14), after the import itself
    has been written: a failure here loses no case, and the next import or start links them."""
    from jingyuan_desktop.services.prevention.records import link_unlinked

    link_unlinked(ctx)


def cmd_export(ctx, args) -> int:
    from jingyuan_desktop import cli_prevention
    from jingyuan_desktop.services import files

    if args.what in cli_prevention.EXPORTS:
        return cli_prevention.run_export(ctx, args)
    if args.what == "cases":
        count = files.export_cases(ctx, args.out)
        print(f"已导出 {count} 个案件到 {args.out}")
    else:
        count = files.export_ledger(ctx, args.out, start=args.start, end=args.end, unmasked=args.unmasked)
        print(f"已导出台账 {count} 行到 {args.out}" + ("（未打码，已记入审计日志）" if args.unmasked else ""))
    return EXIT_OK


def cmd_deadlines(ctx, args) -> int:
    from jingyuan_desktop.domain.durations import Grain, left_text
    from jingyuan_desktop.domain.enums import owner_label
    from jingyuan_desktop.services.deadlines import deadlines
    from jingyuan_desktop.services.prevention.duties import deadline_duties

    clocks = deadlines(ctx, args.at, include_done=args.all)
    # The prevention clocks (issue 14) belong to a grid, an officer or a key person, not a case.
    duties = deadline_duties(ctx, args.at, include_done=args.all)
    if args.json:
        rows = [
            {
                "case_no": c.case_no,
                "clock": c.name.value,
                "due_at": c.due_at.isoformat(),
                "state": c.state.value,
                "done_at": c.done_at.isoformat() if c.done_at else None,
                "owner": c.owner,
            }
            for c in clocks
        ] + [
            {
                "case_no": "",  # not a case's: "" rather than null, so rows still sort by case_no
                "clock": d.name.value,
                "due_at": d.due_at.isoformat(),
                "state": d.state.value,
                "done_at": d.done_at.isoformat() if d.done_at else None,
                "owner": d.owner,
                "subject": d.subject,
                "village": d.village,
                "label": d.label,
            }
            for d in duties
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    moment = args.at or ctx.now()
    print(f"时限一览（截至 {moment:%Y-%m-%d %H:%M}）：共 {len(clocks)} 项")
    for c in clocks:
        done = f"完成于 {c.done_at:%m-%d %H:%M}" if c.done_at else left_text(c.due_at - moment, Grain.EXACT)
        owner = owner_label(c.owner)
        print(f"{c.case_no}\t{c.name.label}\t{owner}\t{c.due_at:%Y-%m-%d %H:%M}\t{c.state.label}\t{done}")
    if duties:
        print(f"排查走访时限：共 {len(duties)} 项")
    for d in duties:
        done = f"完成于 {d.done_at:%m-%d %H:%M}" if d.done_at else left_text(d.due_at - moment, Grain.EXACT)
        print(f"{d.label}\t{d.name.label}\t{d.owner}\t{d.due_at:%Y-%m-%d %H:%M}\t{d.state.label}\t{done}")
    return EXIT_OK


# The columns of `jingyuan stats`, labelled from the one table of figure labels.
STATS_FIELDS = [("key", "分组")] + [
    (name, FIGURE_LABELS[name] + ("(小时)" if name == "mean_hours_to_resolution" else "")) for name in FIGURE_LABELS
]


def cmd_stats(ctx, args) -> int:
    from jingyuan_desktop.services.stats import statistics

    rows = statistics(ctx, by=args.by, start=args.start, end=args.end)
    if args.json:
        print(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
    elif args.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=[name for name, _ in STATS_FIELDS], lineterminator="\n")
        writer.writeheader()
        writer.writerows(r.to_dict() for r in rows)
    else:
        print("\t".join(label for _, label in STATS_FIELDS))
        for row in rows:
            values = row.to_dict()
            print("\t".join(_cell(name, values[name]) for name, _ in STATS_FIELDS))
    return EXIT_OK


def _cell(name: str, value) -> str:
    return str(value) if name == "key" else figure_text(name, value)


def cmd_print(ctx, args) -> int:
    from jingyuan_desktop.services import paper

    if args.what == "slip":
        result = paper.render_slips(ctx, args.case_nos, args.out)
        what = f"交办单 {len(result.case_nos)} 份"
    elif args.what == "archive":
        result = paper.render_archive(ctx, args.case_no, args.out)
        what = f"档案表 {result.pages} 页"
    else:
        result = paper.render_weekly(ctx, args.week, args.out)
        what = f"周例会材料 {result.pages} 页"
    if result.warning:
        print(result.warning, file=sys.stderr)
    print(f"已生成{what}：{args.out}")
    return EXIT_OK


def cmd_audit(ctx, args) -> int:
    from jingyuan_desktop.services import audit_log

    if args.verify:
        check = audit_log.verify(ctx)
        if not check.ok:
            print(f"审计日志校验未通过：{check.reason}（已核对 {check.rows} 条）", file=sys.stderr)
            return EXIT_REFUSED
        print(f"审计日志校验通过：共 {check.rows} 条，未发现改动、删除或插入。")
        return EXIT_OK
    lines = audit_log.audit_lines(ctx, start=args.start, end=args.end, user=args.audit_user)
    if args.json:
        print(json.dumps([line.to_dict() for line in lines], ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"审计日志：共 {len(lines)} 条")
    for line in lines:
        print(f"{line.seq or '-'}\t{line.at}\t{line.user}\t{line.action}\t{line.entity}\t{line.entity_id}")
    return EXIT_OK


def _new_password(ctx) -> str:
    """The new account's password: JINGYUAN_NEW_PASSWORD; for the first account, which nobody
    logs in to create, also JINGYUAN_PASSWORD; a line piped in; or typed twice at the prompt."""
    import os

    if os.environ.get("JINGYUAN_NEW_PASSWORD"):
        return os.environ["JINGYUAN_NEW_PASSWORD"]
    if not ctx.accounts_exist() and os.environ.get("JINGYUAN_PASSWORD"):
        return os.environ["JINGYUAN_PASSWORD"]
    if not sys.stdin.isatty():
        return _password("新密码：", "JINGYUAN_NEW_PASSWORD")
    first = _password("新密码：", "JINGYUAN_NEW_PASSWORD")
    if _password("再输入一次：", "JINGYUAN_NEW_PASSWORD") != first:
        raise_refusal("两次输入的密码不一致，未作改动")
    return first


def cmd_users(ctx, args) -> int:
    from jingyuan_desktop.services import accounts

    if args.what == "add":
        accounts.add_user(ctx, args.name, args.role, _new_password(ctx), args.village)
        print(f"已建立账号“{args.name}”。")
    elif args.what == "list":
        lines = accounts.list_users(ctx)
        print(f"账号：共 {len(lines)} 个")
        for line in lines:
            state = "已停用" if not line.active else "已锁定" if line.locked else "正常"
            print(f"{line.name}\t{line.role.label}\t{line.village or '—'}\t{state}")
    elif args.what == "disable":
        accounts.disable_user(ctx, args.name)
        print(f"已停用账号“{args.name}”。")
    else:
        accounts.set_password(ctx, args.name, _new_password(ctx))
        print(f"已为“{args.name}”设置新密码。")
    return EXIT_OK


def cmd_backup(ctx, args) -> int:
    from jingyuan_desktop.services import setup

    path = setup.backup(ctx, args.to)
    print(f"已备份到 {path}")
    return EXIT_OK


def cmd_restore(ctx, args) -> int:
    from jingyuan_desktop.services import setup

    safety = setup.restore(ctx, args.file)
    print(f"已从 {args.file} 恢复。恢复前的数据库已另存为 {safety}")
    return EXIT_OK


def cmd_check(ctx, args) -> int:
    from jingyuan_desktop.services import derived

    differences = derived.check(ctx, progress=_stderr_progress("核对"))
    cases = {d.case_no for d in differences if d.case_no}
    for d in differences[:200]:
        print(f"{d.case_no or '全库'}\t{d.what}\t库中：{d.stored}\t重算：{d.computed}")
    if len(differences) > 200:
        print(f"……另有 {len(differences) - 200} 处不一致未列出")
    if args.fix:
        count = derived.recompute(ctx, progress=_stderr_progress("重算"))
        print(f"已按现行设置重算 {count} 件案件。")
        return EXIT_OK
    if differences:
        print(f"发现 {len(differences)} 处不一致，涉及 {len(cases)} 件案件；可用 jingyuan check --fix 重算。",
              file=sys.stderr)
        return EXIT_REFUSED
    print("核对完毕：所存时限与统计字段与各案件的记录一致。")
    return EXIT_OK


def _stderr_progress(label: str):
    """A progress report on stderr for long commands at a terminal; nothing when piped."""
    if not sys.stderr.isatty():
        return None

    def report(done: int, total: int) -> None:
        print(f"\r{label} {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    return report


COMMANDS = {
    "init": cmd_init,
    "demo": cmd_demo,
    "import": cmd_import,
    "export": cmd_export,
    "deadlines": cmd_deadlines,
    "stats": cmd_stats,
    "print": cmd_print,
    "audit": cmd_audit,
    "users": cmd_users,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "check": cmd_check,
}


def _prevention_commands() -> None:
    from jingyuan_desktop import cli_prevention

    COMMANDS.update(cli_prevention.COMMANDS)


_prevention_commands()
