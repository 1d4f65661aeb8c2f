"""Entry point of the frozen program: no arguments opens the window, otherwise the command line.

With the environment variable JINGYUAN_FROZEN_CHECK set (installer/build.py --smoke does), the
window opens on the default database, closes itself once shown, and the frozen program then
checks the parts of the bundle that the command line does not reach (frozen_check.py).
"""

import os
import sys

from jingyuan_desktop.cli import main

if __name__ == "__main__":
    if os.environ.get("JINGYUAN_FROZEN_CHECK") and len(sys.argv) == 1:
        from frozen_check import run_checks

        sys.exit(run_checks(os.environ["JINGYUAN_FROZEN_CHECK"]))
    sys.exit(main())
