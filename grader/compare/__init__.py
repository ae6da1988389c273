"""``grader compare``: train the student's network and Keras's side by side.

    from grader.compare import compare, format_table, plot
    result = compare(student, dataset="moons", hidden=(8,), lr=0.5, batch_size=16, epochs=200)
    print(format_table(result, "es"))
    plot(result, "compare.png")

- ``core.py``: ``compare`` and the result dataclasses (plain data, no printing)
- ``table.py``: ``format_table`` / ``explain``, the text rendering
- ``plot.py``: ``plot``, the PNG (matplotlib imported only there, when called)
"""

from grader.compare.core import (DEFAULTS, REASONS, VERDICTS, CompareResult, DecisionBoundary,
                                 DropoutCheck, EpochRow, GradientDiff, compare)
from grader.compare.plot import plot
from grader.compare.table import explain, format_table

__all__ = ["CompareResult", "DEFAULTS", "DecisionBoundary", "DropoutCheck", "EpochRow",
           "GradientDiff", "REASONS", "VERDICTS", "compare", "explain", "format_table", "plot"]
