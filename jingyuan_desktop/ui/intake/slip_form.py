"""The fields of the police transfer slip (转交单), each with a red line for its problem."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal, SignalInstance
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.domain.calendar import TZ, local
from jingyuan_desktop.domain.enums import Source
from jingyuan_desktop.ui.palette import ALARM

ERROR_STYLE = f"color: {ALARM};"
TIME_FORMAT = "yyyy-MM-dd HH:mm"


def to_qdatetime(moment: datetime) -> QDateTime:
    # The office reads Beijing time whatever zone the PC is set to.
    moment = local(moment)
    return QDateTime(QDate(moment.year, moment.month, moment.day),
                     QTime(moment.hour, moment.minute, moment.second))


def from_qdatetime(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second(), tzinfo=TZ)


def _datetime_edit(parent: QWidget, moment: datetime) -> QDateTimeEdit:
    edit = QDateTimeEdit(to_qdatetime(moment), parent)
    edit.setDisplayFormat(TIME_FORMAT)
    edit.setCalendarPopup(True)
    return edit


def _edited_signal(widget: QWidget) -> SignalInstance:
    """The signal a slip field emits as the user changes it."""
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        return widget.textChanged
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTimeChanged
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    raise TypeError(f"no edited signal for {type(widget).__name__}")


class SlipForm(QWidget):
    """Reads as the paper slip does; ``keys`` name the fields as ``validate_intake`` does."""

    sig_edited = Signal(str)  # the key of the field just typed into

    def __init__(self, received_at: datetime, parent: QWidget | None = None):
        super().__init__(parent)
        self.source = QComboBox(self)
        for source in Source:
            self.source.addItem(source.label, source)
        self.police_incident_no = QLineEdit(self)
        self.police_incident_no.setPlaceholderText("转交单上的警情编号")
        self.called_known = QCheckBox("已知", self)
        self.called_known.setToolTip("勾选后填写报警时间")
        self.called_at = _datetime_edit(self, received_at)
        self.called_at.setEnabled(False)
        self.caller_name = QLineEdit(self)
        self.caller_phone = QLineEdit(self)
        self.caller_phone.setPlaceholderText("手机或带区号的座机")
        self.location = QLineEdit(self)
        self.location.setPlaceholderText("如：3组东头、6号楼2单元")
        self.village = QComboBox(self)
        self.village.setEditable(True)
        self.village.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        village_edit = self.village.lineEdit()
        assert village_edit is not None  # an editable combo box always has its line edit
        village_edit.setPlaceholderText("输入或选择")
        self.summary = QPlainTextEdit(self)
        self.summary.setPlaceholderText("简要警情：何人因何事发生何种纠纷")
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(72)
        self.officer = QLineEdit(self)
        self.received_at = _datetime_edit(self, received_at)
        self.received_at.setToolTip("转交到治理办的时间；交办时限从此时起算")
        self.police_station = QComboBox(self)
        self.police_station.setPlaceholderText("请选择")

        self.errors: dict[str, QLabel] = {}
        self.inputs: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(2)
        called = QHBoxLayout()
        called.addWidget(self.called_known)
        called.addWidget(self.called_at, 1)
        for key, text, field in [
            ("source", "来源", self.source),
            ("police_incident_no", "警情编号", self.police_incident_no),
            ("called_at", "报警时间", called),
            ("caller_name", "报警人", self.caller_name),
            ("caller_phone", "联系电话", self.caller_phone),
            ("location", "事发地点", self.location),
            ("village", "所属村（社区） *", self.village),
            ("summary", "简要警情 *", self.summary),
            ("officer", "处警民警", self.officer),
            ("received_at", "转交时间 *", self.received_at),
            ("police_station", "转交派出所", self.police_station),
        ]:
            box = self._with_error(key, field)
            label = QLabel(text, self)
            label.setBuddy(box)  # as addRow(text, field) does
            form.addRow(label, box)
            self.labels[key] = label
        self.inputs.update({"source": self.source, "police_incident_no": self.police_incident_no,
                            "called_at": self.called_at, "caller_name": self.caller_name,
                            "caller_phone": self.caller_phone, "location": self.location,
                            "village": village_edit, "summary": self.summary, "officer": self.officer,
                            "received_at": self.received_at, "police_station": self.police_station})

        self.called_known.toggled.connect(self.called_at.setEnabled)
        self.called_known.toggled.connect(lambda: self.sig_edited.emit("called_at"))
        self.source.currentIndexChanged.connect(self._source_changed)
        for key, widget in self.inputs.items():
            _edited_signal(widget).connect(lambda *_args, k=key: self.sig_edited.emit(k))
        self._source_changed()

    def _with_error(self, key: str, field) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 2)
        layout.setSpacing(1)
        layout.addLayout(field) if isinstance(field, QHBoxLayout) else layout.addWidget(field)
        error = QLabel(box)
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        layout.addWidget(error)
        self.errors[key] = error
        return box

    def _source_changed(self) -> None:
        # The incident number and station are required only on a police transfer: mark them so.
        police = self.source.currentData() == Source.POLICE_TRANSFER
        for key, text in (("police_incident_no", "警情编号"), ("police_station", "转交派出所")):
            label = self.labels.get(key)
            if label is not None:
                label.setText(f"{text} *" if police else text)

    def set_choices(self, villages: list[str], stations: list[str]) -> None:
        typed = self.village.currentText()
        self.village.clear()
        self.village.addItems(villages)
        completer = QCompleter(villages, self.village)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.village.setCompleter(completer)
        self.village.setCurrentIndex(-1)
        self.village.setEditText(typed)
        self.police_station.clear()
        self.police_station.addItems(stations)
        self.police_station.setCurrentIndex(0 if len(stations) == 1 else -1)

    def show_error(self, key: str, message: str) -> None:
        label = self.errors.get(key)
        if label is not None:
            label.setText(message)
            label.setVisible(bool(message))

    # ---- values -------------------------------------------------------------------
    def source_value(self) -> Source:
        return Source(self.source.currentData())  # Qt hands a StrEnum back as a plain str

    def received_value(self) -> datetime:
        return from_qdatetime(self.received_at.dateTime())

    def called_value(self) -> datetime | None:
        return from_qdatetime(self.called_at.dateTime()) if self.called_known.isChecked() else None

    def village_value(self) -> str:
        return self.village.currentText().strip()

    def station_value(self) -> str:
        return self.police_station.currentText().strip()
