"""The year-end assessment page."""

from jingyuan_desktop.ui.assessment.widget import AssessmentWidget

__all__ = ["AssessmentWidget"]
