"""Linear solvers for the conduction stencil, one algorithm per module."""
