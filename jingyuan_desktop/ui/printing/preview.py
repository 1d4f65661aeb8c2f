"""Print preview of a generated PDF: look at it, then print it on any printer or save it."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt, QTemporaryDir
from PySide6.QtGui import QKeySequence, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.os_errors import write_refusal
from jingyuan_desktop.ui.palette import ALARM
from jingyuan_desktop.ui.widgets.files import save_path

logger = logging.getLogger(__name__)

# Pages are drawn onto the printer as images; beyond this the file only gets bigger, not sharper.
MAX_PRINT_DPI = 300


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Draw every page of ``document`` onto ``printer``, each fitted to the printable area.

    Returns the number of pages sent; raises RuntimeError in Chinese if the printer refuses.
    """
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("无法开始打印，请检查打印机是否可用")
    try:
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        area = printer.pageLayout().paintRectPixels(printer.resolution())
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            image = document.render(page, size)
            target = QSize(image.width(), image.height()).scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(0, 0, target.width(), target.height()), image)
    finally:
        painter.end()
    return document.pageCount()


class PreviewDialog(QDialog):
    """Shows one PDF; 打印… sends it to a printer, 另存为PDF… writes the same bytes to a file."""

    def __init__(self, pdf: bytes, title: str, suggested_name: str, parent: QWidget | None = None,
                 *, warning: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"打印预览 — {title}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(900, 1000)
        self.pdf = pdf
        self.suggested_name = suggested_name
        # The document reads its file lazily, so the file lives as long as the dialog.
        self._folder = QTemporaryDir()
        self.path = Path(self._folder.path()) / "preview.pdf"
        self.path.write_bytes(pdf)
        self.document = QPdfDocument(self)
        self.document.load(str(self.path))

        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.pages_label = QLabel(f"共 {self.document.pageCount()} 页", self)
        self.warning_label = QLabel(warning or "", self)
        self.warning_label.setStyleSheet(f"color: {ALARM};")
        self.warning_label.setVisible(bool(warning))
        self.print_button = self._button("打印…", QKeySequence.StandardKey.Print, "选择打印机并打印", self.print_)
        self.save_button = self._button("另存为PDF…", QKeySequence.StandardKey.Save, "把这份 PDF 保存到文件",
                                        self.save_as)
        self.zoom_in = self._button("放大", QKeySequence.StandardKey.ZoomIn, "放大", lambda: self._zoom(1.25))
        self.zoom_out = self._button("缩小", QKeySequence.StandardKey.ZoomOut, "缩小", lambda: self._zoom(0.8))
        self.fit = self._button("适合宽度", "Ctrl+0", "按窗口宽度显示", self._fit)
        close = self._button("关闭", "Esc", "关闭预览", self.close)

        bar = QHBoxLayout()
        for widget in (self.print_button, self.save_button, self.zoom_out, self.zoom_in, self.fit):
            bar.addWidget(widget)
        bar.addWidget(self.pages_label)
        bar.addStretch(1)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.view, 1)
        self.print_button.setDefault(True)

    def _button(self, text: str, shortcut, tip: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        sequence = QKeySequence(shortcut)
        button.setShortcut(sequence)
        button.setToolTip(f"{tip}（{sequence.toString(QKeySequence.SequenceFormat.NativeText)}）")
        button.clicked.connect(slot)
        return button

    def _zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.25, min(4.0, self.view.zoomFactor() * factor)))

    def _fit(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def page_count(self) -> int:
        return self.document.pageCount()

    def print_(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            sent = print_document(self.document, printer)
        except RuntimeError as error:
            logger.warning("printing %s failed", self.suggested_name, exc_info=True)
            QMessageBox.warning(self, "打印失败", str(error))
            return
        self.pages_label.setText(f"共 {self.page_count()} 页，已送打印 {sent} 页")

    def save_as(self, path: str | None = None) -> bool:
        if not path:
            path = save_path(self, "另存为 PDF", self.suggested_name, "PDF 文件 (*.pdf)")
            if not path:
                return False
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        try:
            target.write_bytes(self.pdf)
        except OSError as error:
            logger.warning("saving %s failed", target, exc_info=True)
            QMessageBox.warning(self, "保存失败", write_refusal(target, error))
            return False
        self.pages_label.setText(f"共 {self.page_count()} 页，已保存到 {target.name}")
        return True
