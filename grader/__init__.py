"""dl-grader: auto-graded deep-learning exercises (perceptron, backprop, SGD, dropout).

The Python twins of the CLI commands are imported lazily, so ``import grader``
stays cheap (no TensorFlow, no pytest) until a command is used::

    from grader import check
    results = check("exercises", lang="en")
"""

__version__ = "0.1.0"

__all__ = ["check", "submit", "list_exercises", "grade", "__version__"]


def __getattr__(name):
    if name == "check":
        from grader.checking import check
        return check
    if name == "submit":
        from grader.submission import submit
        return submit
    if name == "list_exercises":
        from grader.checking import list_exercises
        return list_exercises
    if name == "grade":
        from grader.grading import grade
        return grade
    raise AttributeError(name)
