"""Exports to other tools' formats (KiCad footprints so far)."""
