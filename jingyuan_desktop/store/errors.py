"""Errors of the store, each with a Chinese message that can be shown as is."""

from __future__ import annotations


class StoreError(Exception):
    default_message = "数据库操作失败"

    def __init__(self, message: str | None = None):
        self.message = message or self.default_message
        super().__init__(self.message)


class DatabaseError(StoreError):
    """The database as a whole cannot be used: cannot open, not ours, too new, bad backup."""

    default_message = "无法使用该数据库"


class StaleCaseError(StoreError):
    """Someone saved the case after this user read it (optimistic locking)."""

    default_message = "该案件已被其他人修改，请刷新后重试"


class NotFoundError(StoreError):
    default_message = "找不到该记录"


class DuplicateError(StoreError):
    default_message = "记录已存在"


class BusyError(StoreError):
    """Another PC held the database's write lock for longer than the wait allows."""

    default_message = "另一台电脑正在写入数据库，请稍候几秒再试（本次修改未保存）"
