"""Pure scrapers: bytes from the outside world in, validated records out.

Every source the service runs is listed in `scrapers.registry`; each one's `Source` (what it
fetches and which document kinds it produces) lives in its own package's `source.py`.
"""
