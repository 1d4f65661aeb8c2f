"""Printing in the window: the preview shows the generated PDF, a batch reports progress and can be
cancelled without leaving anything behind, the PDF can be saved or sent to a printer."""

import pytest
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox

from jingyuan_desktop.services import queries
from jingyuan_desktop.services.queries import CaseFilter
from jingyuan_desktop.store.audit import list_audit
from jingyuan_desktop.ui.printing import print_archive, print_document, print_slips


@pytest.fixture
def warnings(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text: shown.append((title, text)))
    return shown


def some_cases(ctx, count):
    page = queries.page_cases(ctx, CaseFilter(), offset=0, limit=count)
    return [row.case_no for row in page]


def printed(ctx, action):
    with ctx.session() as session:
        return [a.entity_id for a in list_audit(session) if a.action == action]


def test_a_batch_of_slips_opens_one_preview_with_a_page_each(ops, ctx, qtbot, warnings):
    numbers = some_cases(ctx, 3)
    job = print_slips(None, ops, numbers)
    with qtbot.waitSignal(job.sig_ready, timeout=20_000) as ready:
        pass
    preview = ready.args[0]
    qtbot.addWidget(preview)
    assert preview.page_count() == 3
    assert preview.pages_label.text() == "共 3 页"
    assert job.running is not None and job.running.dialog is not None and job.running.dialog.maximum() == 3
    assert sorted(printed(ctx, "print_slip")) == sorted(numbers)
    assert warnings == []
    assert "Ctrl+P" in preview.print_button.toolTip()


def test_a_cancelled_batch_writes_nothing_and_logs_nothing(ops, ctx, qtbot):
    job = print_slips(None, ops, some_cases(ctx, 5))
    assert job.running is not None
    job.running.cancel()  # as if 取消 was clicked before the first page was done
    with qtbot.waitSignal(job.sig_finished, timeout=20_000) as finished:
        pass
    assert finished.args == ["已取消打印，未生成任何文件"]
    assert job.preview is None
    assert printed(ctx, "print_slip") == []


def test_an_unknown_case_is_refused_in_a_message(ops, qtbot, warnings):
    job = print_archive(None, ops, "FZ-1999-00001")
    with qtbot.waitSignal(job.sig_finished, timeout=20_000):
        pass
    assert warnings and "找不到案件" in warnings[0][1]


def test_save_as_writes_the_same_pdf_and_printing_sends_every_page(ops, ctx, qtbot, tmp_path):
    case_no = some_cases(ctx, 1)[0]
    job = print_archive(None, ops, case_no)
    with qtbot.waitSignal(job.sig_ready, timeout=20_000) as ready:
        pass
    preview = ready.args[0]
    qtbot.addWidget(preview)
    target = tmp_path / "档案"
    assert preview.save_as(str(target))
    assert (tmp_path / "档案.pdf").read_bytes() == preview.pdf

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_document(preview.document, printer) == preview.page_count()
    copy = QPdfDocument()
    copy.load(str(tmp_path / "printed.pdf"))
    assert copy.pageCount() == preview.page_count()
