"""Mechanics: bend rules now; warpage, stress and solder fatigue as they land."""

from semipack.mechanics.flex_bend import min_bend_radius

__all__ = ["min_bend_radius"]
