from datetime import timedelta

import pytest

from jingyuan_desktop.domain.durations import Grain, duration_text, left_text


@pytest.mark.parametrize("delta, grain, expected", [
    (timedelta(minutes=3, seconds=12), Grain.SECONDS, "剩余 3分12秒"),
    (timedelta(minutes=3, seconds=12), Grain.MINUTES, "剩余 3分"),
    (timedelta(hours=2, minutes=5, seconds=9), Grain.SECONDS, "剩余 2小时05分"),
    (timedelta(days=3, hours=2), Grain.MINUTES, "剩余 3天2小时"),
    (-timedelta(seconds=61), Grain.SECONDS, "超时 1分01秒"),
    (timedelta(0), Grain.MINUTES, "剩余 0分"),
    (-timedelta(days=1, minutes=5, seconds=59), Grain.EXACT, "超时 1天0小时6分"),
    (timedelta(minutes=5, seconds=59), Grain.EXACT, "剩余 0小时5分"),
    (timedelta(minutes=5), Grain.EXACT, "剩余 0小时5分"),
])
def test_time_left_reads_the_same_everywhere(delta, grain, expected):
    assert left_text(delta, grain) == expected


def test_a_duration_alone_has_no_sign():
    assert duration_text(-timedelta(minutes=90), Grain.SECONDS) == "1小时30分"
