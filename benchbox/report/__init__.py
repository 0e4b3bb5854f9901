"""Reading finished results: ``benchbox compare`` (and, later, reports).

This package never runs a benchmark and never writes a file: it reads the run records
the exporter wrote and prints what they say. It imports nothing from the engine, the
platforms or the exporters (``tests/test_architecture.py`` checks).
"""

SUBCOMMANDS = ("compare",)
"""The words that start a results command instead of a run: ``benchbox compare A B``."""
