"""Printing from the window: preview of the generated PDF, print to any printer, save as PDF."""

from jingyuan_desktop.ui.printing.actions import PrintJob, print_archive, print_slips, print_weekly
from jingyuan_desktop.ui.printing.preview import PreviewDialog, print_document

__all__ = ["PreviewDialog", "PrintJob", "print_archive", "print_document", "print_slips", "print_weekly"]
