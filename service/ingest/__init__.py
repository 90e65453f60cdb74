"""The single importer: scraped records in, rows, status events and change events out."""
