"""``semipack new FAMILY``: a commented template with every parameter, its unit and default."""

from __future__ import annotations

import sys

import typer

from semipack.families import get_family
from semipack.families.params import template


def new(family: str = typer.Argument(..., help="family name, see `semipack families`")) -> None:
    fam = get_family(family, "FAMILY")
    sys.stdout.write(template(fam.params, fam.name))
