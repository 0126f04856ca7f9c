"""Manufacturing flows: typed steps, the engine that plays them, the claimed methods."""

from semipack.process.engine import FlowResult, run_flow
from semipack.process.methods import Method, all_methods, get_method, methods_for
from semipack.process.state import BuildState, Level, StepRecord
from semipack.process.steps import Equipment, Flow, Singulation, Step, StepKind

__all__ = [
    "BuildState",
    "Equipment",
    "Flow",
    "FlowResult",
    "Level",
    "Method",
    "Singulation",
    "Step",
    "StepKind",
    "StepRecord",
    "all_methods",
    "get_method",
    "methods_for",
    "run_flow",
]
