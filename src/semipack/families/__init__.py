"""Families: one parametric builder per architecture (see `registry`)."""

from semipack.families.registry import FAMILY_NAMES, Family, all_families, get_family

__all__ = ["FAMILY_NAMES", "Family", "all_families", "get_family"]
