"""The 排查预防 page (issue 14): the patrol log, grids, key persons, warnings and the review of
records that may be one person. Kept free of imports so that declaring the page costs nothing
at start-up; the page itself is built the first time it is shown."""
