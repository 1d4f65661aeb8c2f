"""Setting a database up: defaults, demo data, backup and restore."""

from __future__ import annotations

from pathlib import Path

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.domain.enums import UnitKind
from jingyuan_desktop.os_errors import reason
from jingyuan_desktop.services.context import OFFICE_SETTINGS_KEY, AppContext, ServiceError
from jingyuan_desktop.store import backup as store_backup
from jingyuan_desktop.store import repository


def ensure_defaults(ctx: AppContext) -> None:
    """Give a new database its default category tree; an existing one keeps its own."""
    with ctx.session() as session:
        repository.seed_defaults(session)


def install_town(ctx: AppContext, town) -> None:
    """Enter the units and people of ``town`` (a demo.DemoTown) and its office settings."""
    with ctx.session() as session:
        _install_town(ctx, session, town)


def _install_town(ctx: AppContext, session, town) -> None:
    now = ctx.now()
    repository.seed_defaults(session)
    for index, unit in enumerate(town.units):
        repository.upsert_unit(session, unit, sort_order=index, user=ctx.user, at=now)
    for person in town.people:
        repository.upsert_person(session, person, user=ctx.user, at=now)
    office = repository.get_setting(session, OFFICE_SETTINGS_KEY, {}) or {}
    office.update({"town": town.town, "case_no_prefix": town.case_no_prefix})
    repository.set_setting(session, OFFICE_SETTINGS_KEY, office, user=ctx.user, at=now)


def has_cases(ctx: AppContext) -> bool:
    with ctx.session() as session:
        return repository.count_cases(session) > 0


def load_demo(ctx: AppContext, *, cases: int = 2000, seed: int = 0, if_empty: bool = False,
              progress=None, prevention: bool = False) -> int | None:
    """Fill an empty database with the demo town and ``cases`` cases; None when skipped.
    ``prevention`` adds the prevention half (grids, beats, key persons, weeks of patrols, a
    warning): the window's demo has it; the command line's only when asked, since its clocks
    would otherwise stand beside the cases' in every `deadlines` a script reads.

    Refused when the database already holds cases, unless ``if_empty`` asks to skip quietly:
    demo cases must never mix with real ones.
    """
    from jingyuan_desktop.services import demo

    if cases < 0:
        raise ServiceError("案件数不能为负数")
    if has_cases(ctx):
        if if_empty:
            return None
        raise ServiceError("数据库中已有案件，演示数据只能装入空数据库。请用 --db 指定一个新的数据库文件。")
    town = demo.load_town()
    generated = demo.generate_cases(town, count=cases, seed=seed, now=ctx.now(), calendar=ctx.calendar())
    batch = 500
    # One transaction for the town and every case: a demo killed or cancelled half-way leaves
    # the database as it was, not five hundred cases that then refuse another try.
    with ctx.session() as session:
        if repository.count_cases(session) > 0:  # another PC got there first
            raise ServiceError("数据库中已有案件，演示数据只能装入空数据库。请用 --db 指定一个新的数据库文件。")
        _install_town(ctx, session, town)
        for start in range(0, len(generated), batch):
            for case in generated[start:start + batch]:
                repository.add_case(session, case, user=ctx.user, at=ctx.now(), audit=False)
            session.flush()
            if progress:
                progress(min(start + batch, len(generated)), len(generated))
        repository.write_audit(session, user=ctx.user, action="demo", entity="case", entity_id="*",
                               before=None, after={"count": len(generated)}, at=ctx.now())
        if prevention:
            from jingyuan_desktop.services.demo.prevention import install_prevention

            install_prevention(ctx, session, town, generated, seed=seed)  # grids, patrols, key persons (issue 14)
    return len(generated)


def default_backup_dir(ctx: AppContext) -> Path:
    database = ctx.db.engine.url.database
    if not database:
        raise ServiceError("只有 SQLite 数据库文件可以在程序内备份")
    return Path(database).resolve().parent / "backups"


def backup(ctx: AppContext, to_dir: Path | None = None) -> Path:
    ctx.require(Permission.BACKUP)
    return _backup(ctx, to_dir)


def _backup(ctx: AppContext, to_dir: Path | None = None) -> Path:
    target = Path(to_dir).expanduser() if to_dir else default_backup_dir(ctx)
    if target.exists() and not target.is_dir():
        raise ServiceError(f"“{target}”是一个文件，不是文件夹；备份须保存到一个文件夹中")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ServiceError(f"无法建立备份文件夹“{target}”：{reason(error)}") from None
    # The audit row first: a copy of everyone's data leaves no trace only if none is made.
    with ctx.session() as session:
        repository.write_audit(session, user=ctx.user, action="backup", entity="database", entity_id=str(target),
                               before=None, after={"folder": str(target)}, at=ctx.now())
    return store_backup.backup(ctx.db, target, now=ctx.now())


def daily_backup(ctx: AppContext) -> Path | None:
    """Once a day, at the first start of the window: a backup in the default folder, keeping
    the newest ``backup_keep`` (office setting). None when today's exists, or when the
    database is not a SQLite file (a PostgreSQL server is backed up by its own tools)."""
    if not ctx.db.is_sqlite or ctx.db.sqlite_path is None:
        return None
    folder = default_backup_dir(ctx)
    today = store_backup.BACKUP_PREFIX + local(ctx.now()).strftime("%Y%m%d")
    if any(p.name.startswith(today) for p in store_backup.backups_in(folder)):
        return None
    path = _backup(ctx)  # the office's own safety net, whoever opened the window
    store_backup.rotate(folder, ctx.office().backup_keep)
    return path


def restore(ctx: AppContext, file: Path) -> Path:
    ctx.require(Permission.RESTORE)
    if not Path(file).is_file():
        raise ServiceError(f"找不到备份文件：{file}")
    safety = store_backup.restore(ctx.db, Path(file), now=ctx.now())
    with ctx.session() as session:
        repository.write_audit(session, user=ctx.user, action="restore", entity="database", entity_id=str(file),
                               before={"safety_copy": str(safety)}, after={"file": str(file)}, at=ctx.now())
    ctx.forget_calendar()
    ctx.forget_accounts()  # the restored database has the accounts it had then
    return safety


def villages(ctx: AppContext) -> list[str]:
    with ctx.session() as session:
        return [u.name for u in repository.list_units(session) if u.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY)]
