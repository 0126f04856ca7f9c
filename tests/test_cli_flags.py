"""The library names its own arguments; the CLI's one table turns them into the flags a user typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, cli

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


def test_every_per_command_flag_is_an_option_of_that_command() -> None:
    import typer.main

    from semipack.cli.flags import COMMAND_FLAGS

    cli = typer.main.get_command(build_app())
    assert isinstance(cli, typer.core.TyperGroup)
    for command, table in COMMAND_FLAGS.items():
        opts = {o for p in cli.commands[command].params for o in p.opts}
        assert set(table.values()) <= opts, (command, set(table.values()) - opts)


@pytest.mark.parametrize(
    ("command", "field", "flag"),
    [("draw", "out", "-o"), ("report", "out", "-o"), ("compact", "out", "--plot"), ("draw", "section", "--section")],
)
def test_one_argument_is_named_by_each_commands_own_flag(command: str, field: str, flag: str) -> None:
    err = DesignError(field, "x.pdf", "a figure ends in .png or .svg")
    shown = in_cli_terms(err, command)
    assert isinstance(shown, DesignError) and shown.field == flag and shown.allowed == err.allowed
    assert in_cli_terms(err, "nets") is err  # a command without the entry: the library's name stays


def test_library_drawing_and_report_errors_name_their_arguments(tmp_path: Path) -> None:
    from semipack.design import load_design
    from semipack.draw import draw, parse_section
    from semipack.draw.compact_plots import check_plot_path
    from semipack.report.html_report import ReportOptions, write_report

    pkg = load_design(EXAMPLES / "stack.yaml")
    cases = [
        (lambda: parse_section("z=1mm", pkg), "section"),
        (lambda: draw(pkg, tmp_path / "a.txt"), "out"),
        (lambda: check_plot_path(tmp_path / "a.pdf"), "out"),
        (lambda: write_report(pkg, tmp_path / "r", ReportOptions(skip=frozenset({"weather"}))), "skip"),
    ]
    for call, field in cases:
        with pytest.raises(DesignError) as info:
            call()
        assert info.value.field == field


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (("draw", "-o", "out.txt"), "-o: got"),
        (("draw", "-o", "out.svg", "--section", "z=1mm"), "--section: got"),
        (("report", "-o", "r", "--skip", "weather"), "--skip: got"),
    ],
)
def test_commands_name_their_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], start: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = cli(capsys, args[0], str(EXAMPLES / "stack.yaml"), *args[1:])
    assert code == 2 and err.startswith("semipack: error: " + start), err
