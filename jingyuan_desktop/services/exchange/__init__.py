"""The case exchange file (``jingyuan-cases`` version 1): cases with their timelines as JSON.

``schema`` declares the shape of the format once; ``writing`` and ``reading`` follow it both
ways, so that export -> import -> export gives the same bytes.
"""

from jingyuan_desktop.services.exchange.reading import document_to_cases, load_document, parse_time
from jingyuan_desktop.services.exchange.schema import FORMAT, LABELS, VERSION, ExchangeError
from jingyuan_desktop.services.exchange.writing import (
    case_to_dict,
    cases_to_document,
    dump_document,
    event_to_dict,
    format_time,
    party_to_dict,
)

__all__ = [
    "FORMAT", "LABELS", "VERSION", "ExchangeError", "case_to_dict", "cases_to_document", "document_to_cases",
    "dump_document", "event_to_dict", "format_time", "load_document", "parse_time", "party_to_dict",
]
