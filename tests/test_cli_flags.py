"""The library names its own arguments; the CLI's one table turns them into the flags a user typed."""

from __future__ import annotations

import pytest

from semipack.cli.flags import FLAGS, in_cli_terms
from semipack.cli.main import build_app
from semipack.errors import DesignError, SemipackError
from semipack.thermal.environment import Environment, EnvKind


def test_library_error_names_the_field_and_the_cli_names_the_flag() -> None:
    with pytest.raises(DesignError) as info:
        Environment(kind=EnvKind.FORCED_AIR, air_speed_m_s=0.0)
    assert info.value.field == "air_speed_m_s"
    shown = in_cli_terms(info.value)
    assert isinstance(shown, DesignError)
    assert shown.field == "--air-speed" and shown.value == 0.0 and shown.allowed == info.value.allowed
    assert str(shown).startswith("--air-speed: got 0.0; ")


def test_errors_outside_the_table_pass_through_unchanged() -> None:
    plain = SemipackError("anything")
    assert in_cli_terms(plain) is plain
    design = DesignError("parameters.die_size", 3, "a length")
    assert in_cli_terms(design) is design


def test_every_flag_in_the_table_is_an_option_of_some_command() -> None:
    import typer.main

    cli = typer.main.get_command(build_app())
    assert isinstance(cli, typer.core.TyperGroup)
    flags: set[str] = set()

    def collect(cmd: object) -> None:
        for p in getattr(cmd, "params", ()):
            flags.update(o for o in p.opts if o.startswith("--"))
        for sub in getattr(cmd, "commands", {}).values():
            collect(sub)

    collect(cli)
    assert set(FLAGS.values()) <= flags, set(FLAGS.values()) - flags
    assert not any(name.startswith("-") for name in FLAGS)
