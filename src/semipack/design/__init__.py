"""Design files: YAML in, validated `Package` out."""

from semipack.design.loader import DesignFile, build_design, load_design, read_yaml

__all__ = ["DesignFile", "build_design", "load_design", "read_yaml"]
