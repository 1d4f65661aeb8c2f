"""警源治理 desktop program for a town governance centre."""

__version__ = "0.1.0"
