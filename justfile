# benchbox tasks; `just` comes from the PyPI package rust-just (in the test extra).

# Install benchbox and run the default main job (TPC-H SF 0.1 on embedded DuckDB).
run *ARGS:
    pip install -q -e .
    benchbox {{ARGS}}

# Install benchbox with its test tools and run the whole test suite.
test *ARGS:
    pip install -q -e '.[all,test]'
    python -m pytest {{ARGS}}

# Lint and check formatting.
lint:
    ruff check .
    ruff format --check .

# Measure benchbox against raw baselines (see docs/performance.md).
bench:
    python benchmarks/overhead.py
    python benchmarks/end_to_end.py
    python benchmarks/startup.py
    python benchmarks/fixed_cost.py --sf 0.1
    python benchmarks/answer_compare.py
