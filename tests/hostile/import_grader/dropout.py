# Appended to the reference dropout.py: reach for the grader package.
import grader  # noqa: F401,E402
