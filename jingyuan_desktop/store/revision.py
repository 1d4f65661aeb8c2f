"""The schema revision this program reads and writes, known without alembic or SQLAlchemy.

The start reads the window's first rows before SQLAlchemy is imported (``store.case_rows``),
and only from a database already at this revision; ``store.migrate`` takes it from here. A
new migration moves it by hand: tests/store/test_migrate_fast.py holds it to alembic's own
head of the scripts.
"""

HEAD = "0013"
