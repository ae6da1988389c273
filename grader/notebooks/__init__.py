"""Jupyter notebooks: generating them, reading a student's code out of them, and
the helpers their cells call (setup, check_here, compare_here).

    from grader.notebooks import modules_from_notebook
    modules_from_notebook("sgd.ipynb")        # {"sgd.py": b"..."}, nothing executed

See docs/notebooks.md for the design. Heavy imports (nbformat, IPython,
TensorFlow) happen only in the functions that need them.
"""

from grader.notebooks.extract import (MODULES_DIR, TAG_PREFIX, files_from_notebooks,  # noqa: F401
                                      is_notebook, modules_from_notebook,
                                      modules_from_notebook_bytes, neutralise)

__all__ = ["MODULES_DIR", "TAG_PREFIX", "modules_from_notebook", "modules_from_notebook_bytes",
           "files_from_notebooks", "is_notebook", "neutralise", "setup", "check_here",
           "compare_here", "notebook_for", "write_notebooks"]


def __getattr__(name):
    if name in ("setup", "check_here", "compare_here", "module_from_history"):
        from grader.notebooks import kernel
        return getattr(kernel, name)
    if name in ("notebook_for", "write_notebooks"):
        from grader.notebooks import build
        return getattr(build, name)
    raise AttributeError(name)
