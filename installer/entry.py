"""Entry point of the frozen program: no arguments opens the window, otherwise the command line."""

import sys

from jingyuan_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
