"""Materials: a frozen library of sourced properties, shipped as data."""

from semipack.materials.library import (
    Category,
    Material,
    MaterialLibrary,
    default_library,
)

__all__ = ["Category", "Material", "MaterialLibrary", "default_library"]
