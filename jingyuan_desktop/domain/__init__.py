"""Pure rules of the procedure: no Qt, no SQLAlchemy, no reading of the clock."""
