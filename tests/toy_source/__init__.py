"""A toy source, kept apart from the real ones: it proves a source is added by one registry line."""
