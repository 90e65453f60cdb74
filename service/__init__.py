"""recwatch service: storage, ingest, API and jobs around the scrapers."""

__version__ = "0.1.0"
