"""matplotlib set up once for Chinese: a CJK font first in the family list, the minus sign intact."""

from __future__ import annotations

import matplotlib

matplotlib.use("QtAgg")

from matplotlib import font_manager, rcParams

# TrueType CJK fonts in the order an office PC is likely to have them.
CJK_FAMILIES = ("Microsoft YaHei", "SimHei", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC",
                "Source Han Sans SC", "PingFang SC", "SimSun")
_done = False


def setup_matplotlib() -> str | None:
    """Put the first installed CJK family in front of sans-serif; returns its name or None."""
    global _done
    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((name for name in CJK_FAMILIES if name in installed), None)
    if not _done:
        families = [name for name in CJK_FAMILIES if name in installed]
        rcParams["font.sans-serif"] = families + [f for f in rcParams["font.sans-serif"] if f not in families]
        rcParams["font.family"] = "sans-serif"
        rcParams["axes.unicode_minus"] = False  # CJK fonts often lack U+2212
        _done = True
    return found
