"""Errors of the operating system told in Chinese.

``OSError.strerror`` is the C library's English ("No such file or directory", "Permission
denied"): a Chinese sentence around it still leaves the clerk with an English reason. The
usual causes get a Chinese one; anything rarer keeps the system's own words.
"""

from __future__ import annotations

import errno
from pathlib import Path

_REASONS = {
    errno.ENOENT: "文件夹或文件不存在",
    errno.EACCES: "没有访问权限，或文件正被其他程序占用",
    errno.EPERM: "没有访问权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一项不是文件夹",
    errno.ENAMETOOLONG: "路径太长",
    errno.EINVAL: "路径中有不允许的字符",
    errno.EBUSY: "文件正被其他程序占用",
}
# Windows' own code for a file another program holds open (errno is then EACCES).
_SHARING_VIOLATION = 32


def reason(error: OSError) -> str:
    """Why ``error`` happened, in Chinese where the cause is a usual one."""
    if getattr(error, "winerror", None) == _SHARING_VIOLATION:
        return "文件正被其他程序占用"
    return _REASONS.get(error.errno or 0) or error.strerror or str(error)


def write_refusal(target: str | Path, error: OSError) -> str:
    """The sentence for a file that could not be written."""
    return (f"无法写入文件 {target}：{reason(error)}。请检查文件夹的写入权限；"
            "若该文件正在其他程序中打开，请先关闭后再试。")
