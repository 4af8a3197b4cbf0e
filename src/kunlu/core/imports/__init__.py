"""Excel/CSV import: read a bounded upload, check every cell against a declared dataset, commit atomically."""
