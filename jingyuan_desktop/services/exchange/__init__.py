"""The case exchange file (``jingyuan-cases``): cases with their timelines as JSON.

Version 2 is written; versions 1 and 2 are read. ``schema`` declares the shape of the format
once; ``writing`` and ``reading`` follow it both ways, so that export -> import -> export gives
the same bytes. ``version1`` turns the events of a version 1 file into version 2's.
"""

from jingyuan_desktop.services.exchange.reading import document_to_cases, load_document, parse_time
from jingyuan_desktop.services.exchange.schema import FORMAT, LABELS, VERSION, VERSIONS, ExchangeError
from jingyuan_desktop.services.exchange.writing import (
    case_to_dict,
    cases_to_document,
    dump_document,
    event_to_dict,
    format_time,
    party_to_dict,
)

__all__ = [
    "FORMAT", "LABELS", "VERSION", "VERSIONS", "ExchangeError", "case_to_dict", "cases_to_document",
    "document_to_cases", "dump_document", "event_to_dict", "format_time", "load_document", "parse_time",
    "party_to_dict",
]
