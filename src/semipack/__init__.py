"""semipack: describe, build and analyse semiconductor packages.

Data flows one way: design file -> validated model -> (flow) -> analyses -> frozen
results -> drawings, exports, reports. This package holds the model layer: units,
materials, geometry, the `Package` model and the parametric families.
"""

from semipack.errors import DesignError, SemipackError

__version__ = "0.1.0"

__all__ = ["DesignError", "SemipackError", "__version__"]
