"""Status reports for UPR submission authors, and bulk export for researchers.

`content.gather()` reads the database once into a `Report`; each format module only renders that
object, so every format shows the same rows, counts and sources. `export` streams filtered
recommendations in keyset batches with constant memory.
"""
