"""What a process of the program makes at its start lives as long as the process.

Python's collector of reference cycles walks every object it tracks at each full pass. The
modules, the database layer and the open database are some hundreds of thousands of objects
that never become garbage; a full pass over them took 40 ms, and the timer panel's read of
ten thousand open clocks at 100,000 cases set one off every other time (31 ms, then 70). Once
the start is done they are frozen: later passes walk only what was made since. The window
does the same from its collector (``ui.gc_guard``), the command line after opening the
database, and the benchmark harness after opening its own (it measures the services as the
program runs them).
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Everything alive now is the program itself: freeze it out of the collector's passes."""
    gc.freeze()
