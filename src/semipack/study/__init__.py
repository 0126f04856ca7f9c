"""Design studies: sweeps, DOE and optimisation over a base design, stored in DuckDB.

spec (the study file) -> sampling (the plan) -> point (resolve, id, evaluate) ->
runner (process pool or Dask, batching, retries) -> store (DuckDB) -> results
(summary, Pareto front, sensitivities) -> page (HTML). optimise adds RBF rounds.
"""
