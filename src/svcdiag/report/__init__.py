"""The diagnosis report: one renderer per format, and re-rendering saved findings."""
