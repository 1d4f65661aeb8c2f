"""Every test run logs into its own folder, never into the user's log folder."""

import os
import tempfile

os.environ.setdefault("JINGYUAN_LOG_DIR", tempfile.mkdtemp(prefix="jingyuan-test-logs-"))
