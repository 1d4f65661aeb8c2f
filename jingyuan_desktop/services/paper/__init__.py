"""Paper forms: the dispatch slip (交办单), the archive form (档案) and the weekly meeting
handout (周例会材料), as PDFs that carry their own Chinese font.

Each ``render_*`` writes to a path or a binary file object, records an audit row, and
returns a ``PaperResult`` whose ``warning`` is set when no embeddable font was found.
"""

from jingyuan_desktop.services.paper.layout import PaperResult, PrintCancelled
from jingyuan_desktop.services.paper.render import render_archive, render_slip, render_slips, render_weekly

__all__ = ["PaperResult", "PrintCancelled", "render_archive", "render_slip", "render_slips", "render_weekly"]
