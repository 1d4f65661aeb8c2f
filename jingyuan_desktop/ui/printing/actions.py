"""The window's print actions: build the PDF off the UI thread, with progress and cancel for a
batch, then open the preview. The services write the audit row of every print."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from jingyuan_desktop.ui.ops import Cancelled, Operations, Progress, Running
from jingyuan_desktop.ui.printing.preview import PreviewDialog

if TYPE_CHECKING:  # reportlab is imported by the first print, in the worker, not with the window
    from jingyuan_desktop.services import paper


class PrintJob(QObject):
    """One PDF being built; ``sig_ready`` brings the preview, ``sig_finished`` always comes."""

    sig_ready = Signal(object)
    """The PreviewDialog, once the PDF is built."""
    sig_finished = Signal(str)
    """"" when a preview opened, else what happened, in Chinese."""

    def __init__(self, parent: QWidget, ops: Operations, title: str, name: str,
                 render: Callable[..., paper.PaperResult], *, total: int = 1):
        super().__init__(parent)
        self.parent_widget, self.ops, self.title, self.name = parent, ops, title, name
        self.total = total
        self.preview: PreviewDialog | None = None
        self.running: Running | None = None
        self._render = render

    def start(self) -> None:
        def work(ctx, progress: Progress | None = None):
            from jingyuan_desktop.services import paper

            buffer = io.BytesIO()
            try:
                result = self._render(ctx, buffer, progress.keep_going if progress else _always)
            except paper.PrintCancelled:
                raise Cancelled from None
            return buffer.getvalue(), result

        # A batch shows its progress and can be cancelled; a single page is quick.
        self.running = self.ops.run(work, progress=f"正在生成{self.title}…" if self.total > 1 else None,
                                    parent=self.parent_widget, on_done=self._done, on_error=self._failed,
                                    on_cancelled=lambda: self.sig_finished.emit("已取消打印，未生成任何文件"))

    def _done(self, outcome) -> None:
        data, result = outcome
        self.preview = PreviewDialog(data, self.title, self.name, self.parent_widget, warning=result.warning)
        self.preview.show()
        self.sig_ready.emit(self.preview)
        self.sig_finished.emit("")

    def _failed(self, message: str) -> None:
        QMessageBox.warning(self.parent_widget, "无法打印", message)
        self.sig_finished.emit(message)


def _paper():
    from jingyuan_desktop.services import paper

    return paper


def _always(_done: int, _total: int) -> bool:
    return True


def _start(job: PrintJob) -> PrintJob:
    job.start()
    return job


def print_slips(parent: QWidget, ops: Operations, case_nos: list[str]) -> PrintJob:
    """交办单 of the given cases, one page each, in one PDF."""
    numbers = list(dict.fromkeys(case_nos))
    title = f"交办单 {numbers[0]}" if len(numbers) == 1 else f"交办单 {len(numbers)} 份"
    name = f"交办单-{numbers[0]}.pdf" if len(numbers) == 1 else f"交办单-{len(numbers)}份.pdf"
    return _start(PrintJob(parent, ops, title, name,
                           lambda ctx, out, progress: _paper().render_slips(ctx, numbers, out, progress),
                           total=len(numbers)))


def print_archive(parent: QWidget, ops: Operations, case_no: str) -> PrintJob:
    """档案表 of one case, as many pages as its record needs."""
    return _start(PrintJob(parent, ops, f"档案 {case_no}", f"档案-{case_no}.pdf",
                           lambda ctx, out, _progress: _paper().render_archive(ctx, case_no, out)))


def print_weekly(parent: QWidget, ops: Operations, week: str | None = None) -> PrintJob:
    """周例会材料 of ISO week ``week`` (this week when None); names masked, no phone numbers."""
    label = week or "本周"
    return _start(PrintJob(parent, ops, f"周例会材料 {label}", f"周例会材料-{label}.pdf",
                           lambda ctx, out, _progress: _paper().render_weekly(ctx, week, out)))
