import sys

from jingyuan_desktop.cli import main

sys.exit(main())
