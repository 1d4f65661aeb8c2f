"""The window's print actions: build the PDF off the UI thread, with progress and cancel for a
batch, then open the preview. The services write the audit row of every print."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from jingyuan_desktop.services import paper
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.printing.preview import PreviewDialog


class _Progress(QObject):
    """Carries page counts from the worker thread to the progress dialog (queued signal)."""

    step = Signal(int, int)


class PrintJob(QObject):
    """One PDF being built; ``sig_ready`` brings the preview, ``sig_finished`` always comes."""

    sig_ready = Signal(object)  # the PreviewDialog
    sig_finished = Signal(str)  # "" when a preview opened, else what happened, in Chinese

    def __init__(self, parent: QWidget, ops: Operations, title: str, name: str,
                 render: Callable[..., paper.PaperResult], *, total: int = 1):
        super().__init__(parent)
        self.parent_widget, self.ops, self.title, self.name = parent, ops, title, name
        self.cancelled = threading.Event()
        self.preview: PreviewDialog | None = None
        self.progress: QProgressDialog | None = None
        self._bridge = _Progress(self)
        if total > 1:
            self.progress = QProgressDialog(f"正在生成{title}…", "取消", 0, total, parent)
            self.progress.setWindowTitle("打印")
            self.progress.setWindowModality(Qt.WindowModality.WindowModal)
            self.progress.setMinimumDuration(0)
            self.progress.canceled.connect(self.cancelled.set)
            self._bridge.step.connect(self._step)
        self._render = render

    def _step(self, done: int, total: int) -> None:
        if self.progress is not None and not self.cancelled.is_set():
            self.progress.setMaximum(total)
            self.progress.setValue(done)

    def _report(self, done: int, total: int) -> bool:
        # Called in the worker thread: only a signal and a flag are touched here.
        self._bridge.step.emit(done, total)
        return not self.cancelled.is_set()

    def start(self) -> None:
        def work(ctx):
            buffer = io.BytesIO()
            try:
                result = self._render(ctx, buffer, self._report)
            except paper.PrintCancelled:
                return None
            return buffer.getvalue(), result

        self.ops.run(work, on_done=self._done, on_error=self._failed)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.hide()

    def _done(self, outcome) -> None:
        self._close_progress()
        if outcome is None:
            self.sig_finished.emit("已取消打印，未生成任何文件")
            return
        data, result = outcome
        self.preview = PreviewDialog(data, self.title, self.name, self.parent_widget, warning=result.warning)
        self.preview.show()
        self.sig_ready.emit(self.preview)
        self.sig_finished.emit("")

    def _failed(self, message: str) -> None:
        self._close_progress()
        QMessageBox.warning(self.parent_widget, "无法打印", message)
        self.sig_finished.emit(message)


def _start(job: PrintJob) -> PrintJob:
    job.start()
    return job


def print_slips(parent: QWidget, ops: Operations, case_nos: list[str]) -> PrintJob:
    """交办单 of the given cases, one page each, in one PDF."""
    numbers = list(dict.fromkeys(case_nos))
    title = f"交办单 {numbers[0]}" if len(numbers) == 1 else f"交办单 {len(numbers)} 份"
    name = f"交办单-{numbers[0]}.pdf" if len(numbers) == 1 else f"交办单-{len(numbers)}份.pdf"
    return _start(PrintJob(parent, ops, title, name,
                           lambda ctx, out, progress: paper.render_slips(ctx, numbers, out, progress),
                           total=len(numbers)))


def print_archive(parent: QWidget, ops: Operations, case_no: str) -> PrintJob:
    """档案表 of one case, as many pages as its record needs."""
    return _start(PrintJob(parent, ops, f"档案 {case_no}", f"档案-{case_no}.pdf",
                           lambda ctx, out, _progress: paper.render_archive(ctx, case_no, out)))


def print_weekly(parent: QWidget, ops: Operations, week: str | None = None) -> PrintJob:
    """周例会材料 of ISO week ``week`` (this week when None); names masked, no phone numbers."""
    label = week or "本周"
    return _start(PrintJob(parent, ops, f"周例会材料 {label}", f"周例会材料-{label}.pdf",
                           lambda ctx, out, _progress: paper.render_weekly(ctx, week, out)))
