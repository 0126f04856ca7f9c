"""Exceptions raised by the library. The CLI turns each into one line and exit code 2."""

from __future__ import annotations


def one_line(text: str) -> str:
    """``text`` with every non-printable character (newline, tab, control) escaped: one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class SemipackError(Exception):
    """Base class of every error semipack raises on purpose."""


class DesignError(SemipackError, ValueError):
    """Bad input: names the field path, the value and what is allowed.

    Parameters
    ----------
    field
        Dotted path of the offending field, e.g. ``parameters.die_size``.
    value
        The value as the user gave it (shown with ``repr``).
    allowed
        What would have been accepted.
    """

    def __init__(self, field: str, value: object, allowed: str) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        shown = one_line(repr(value))
        if len(shown) > 80:
            shown = shown[:77] + "..."
        where = one_line(str(field))
        if len(where) > 160:
            where = where[:157] + "..."
        super().__init__(f"{where}: got {shown}; {one_line(str(allowed))}")


class ValidationError(SemipackError):
    """A built package breaks a rule (overlap, missing contact, open net, ...)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        first = problems[0] if problems else "invalid package"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)


class FlowError(SemipackError):
    """A flow step that cannot run: names the step (1-based) and the reason."""

    def __init__(self, index: int, title: str, reason: str) -> None:
        self.index = index
        self.title = title
        self.reason = reason
        super().__init__(f"step {index} '{title}': {reason}")


class ConvergenceError(SemipackError):
    """An iterative solver did not reach its tolerance: no silent wrong answer.

    One definition of converged for every iterative solver in semipack (thermal, transient,
    mechanics, moisture): the relative residual of the solution returned,
    ``||b - A x||_2 / ||b||_2``, is at most the solver's ``rtol`` (:func:`check_converged`).

    Parameters
    ----------
    message
        One line naming the solver, the residual reached and the tolerance.
    solver, residual, rtol
        The same as values, where the raiser knows them (None otherwise).
    """

    def __init__(
        self, message: str, *, solver: str | None = None, residual: float | None = None, rtol: float | None = None
    ) -> None:
        self.solver = solver
        self.residual = residual
        self.rtol = rtol
        super().__init__(message)


def check_converged(solver: str, residual: float, rtol: float, iterations: int | None = None, where: str = "") -> None:
    """Raise :class:`ConvergenceError` unless ``residual <= rtol`` (a NaN residual fails).

    ``residual`` is the relative residual ``||b - A x||_2 / ||b||_2`` of the solution returned;
    ``where`` (e.g. ``" at t = 2 s"``) says which solve of several it was.
    """
    if residual <= rtol:
        return
    after = "" if iterations is None else f" after {iterations} iterations"
    raise ConvergenceError(
        f"the {solver} solver did not converge{where}: relative residual {residual:.2e}{after} (tolerance {rtol:.0e})",
        solver=solver,
        residual=residual,
        rtol=rtol,
    )
