"""Demo data: the town 房镇镇 with fictional people, and two years of plausible cases.

Pure: no database and no Qt. ``load_town`` reads ``resources/demo/town.json``;
``generate_cases`` returns domain ``Case`` objects whose timelines pass
``lifecycle.check_timeline``, also with the office's rule that a red or 民转刑 case gets its
leader first. The same seed always gives the same cases; ``now`` and the calendar are
arguments, so nothing here reads the real clock.

``town`` holds the town's reference data, ``texts`` and ``people`` the words and the
fictional parties, ``receipt`` how cases arrive, ``life`` and ``showcase`` what happens to
them, and ``generator`` puts it together.
"""

from jingyuan_desktop.services.demo.generator import SHOWCASE_MIN_COUNT, generate_cases
from jingyuan_desktop.services.demo.receipt import REPEAT_WINDOW, SPAN_DAYS
from jingyuan_desktop.services.demo.texts import party_name_parts
from jingyuan_desktop.services.demo.town import DemoTown, load_town

__all__ = ["REPEAT_WINDOW", "SHOWCASE_MIN_COUNT", "SPAN_DAYS", "DemoTown", "generate_cases", "load_town",
           "party_name_parts"]
