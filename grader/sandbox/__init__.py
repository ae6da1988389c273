"""Running untrusted student code in separate worker processes."""

from grader.sandbox.runner import (  # noqa: F401
    CallOutcome,
    SandboxLimits,
    StudentProxy,
    Worker,
)
