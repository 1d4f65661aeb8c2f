"""The 文件 menu's daily jobs: importing the police transfer list after a preview, exporting the
台账 and the exchange file, backup and restore."""

from jingyuan_desktop.ui.files.jobs import FileJobs

__all__ = ["FileJobs"]
