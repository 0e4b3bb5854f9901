"""Reading finished results: ``benchbox compare``, ``benchbox report`` and the pages and tables
built from run records.

This package never runs a benchmark: it reads the run records the exporter wrote and says
what they hold. Its one file write is ``benchbox report DIR`` rebuilding ``report.html``
(``report.py``); the exporter writes everything else, using the renderers here. It imports
nothing from the engine, the platforms, the exporters or the benchmarks
(``tests/test_architecture.py`` checks).
"""

SUBCOMMANDS = ("compare", "report")
"""The words that start a results command instead of a run: ``benchbox compare A B``."""
