"""Running untrusted student code in separate, isolated worker processes.

runner.py (Worker, the judge's side of one worker), launcher.py (how workers
are started: a zygote fork server on Linux), isolation.py (namespaces, new
root, dropped privileges), zygote.py and worker_main.py (run in the child
processes), wire.py (the plain-data codec between them).
"""

from grader.sandbox.runner import (  # noqa: F401
    CallOutcome,
    SandboxLimits,
    StudentProxy,
    Worker,
)
