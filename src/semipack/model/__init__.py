"""The package model: bodies with roles, nets, validation and derived quantities."""

from semipack.model.body import Body, HeatSource, Marker, Net, Pad, Route
from semipack.model.derived import Summary, summarize
from semipack.model.flex import FlexLayer, FlexPart, FlexPiece
from semipack.model.package import Package
from semipack.model.passive import Passive, PassiveElement, PassivePart
from semipack.model.roles import CONDUCTOR_ROLES, FILLER_ROLES, TERMINAL_ROLES, NetKind, Role
from semipack.model.validate import check

__all__ = [
    "CONDUCTOR_ROLES",
    "FILLER_ROLES",
    "TERMINAL_ROLES",
    "Body",
    "FlexLayer",
    "FlexPart",
    "FlexPiece",
    "HeatSource",
    "Marker",
    "Net",
    "NetKind",
    "Package",
    "Pad",
    "Passive",
    "PassiveElement",
    "PassivePart",
    "Role",
    "Route",
    "Summary",
    "check",
    "summarize",
]
