"""Operating-system errors are told in Chinese (jingyuan_desktop/os_errors.py)."""

from __future__ import annotations

import errno
import re

import pytest

from jingyuan_desktop import os_errors
from jingyuan_desktop.services import files
from jingyuan_desktop.services.context import ServiceError


def test_the_usual_causes_have_a_chinese_reason():
    for code in (errno.ENOENT, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EROFS, errno.EISDIR):
        text = os_errors.reason(OSError(code, "English words"))
        assert "English" not in text and re.search(r"[\u4e00-\u9fff]", text), code


def test_a_rare_cause_keeps_the_system_s_words_and_a_file_held_open_on_windows_is_named():
    assert os_errors.reason(OSError(errno.EXDEV, "Invalid cross-device link")) == "Invalid cross-device link"
    held = OSError(errno.EACCES, "Permission denied")
    held.winerror = 32  # what Windows sets for a file another program has open
    assert os_errors.reason(held) == "文件正被其他程序占用"


def test_a_real_failed_write_is_one_chinese_sentence(tmp_path):
    target = tmp_path / "没有的文件夹" / "sub"
    target.parent.write_text("a file where a folder should be")
    with pytest.raises(OSError) as caught:
        (target / "x.pdf").write_bytes(b"")
    sentence = os_errors.write_refusal(target / "x.pdf", caught.value)
    assert sentence.startswith(f"无法写入文件 {target / 'x.pdf'}：路径中有一项不是文件夹。")
    refused = files._write_failed(target, OSError(errno.ENOSPC, "No space left on device"))
    assert isinstance(refused, ServiceError) and "：磁盘空间不足。" in str(refused)
