"""benchbox: analytic database benchmarks from declarative configs, through one engine."""

__version__ = "0.1.0"
