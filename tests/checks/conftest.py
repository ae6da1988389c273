"""The check suites' fixtures come from grader.checks.fixtures."""

from grader.checks.fixtures import (  # noqa: F401
    _close_default_session,
    golden,
    reference,
    rng,
    seed,
    student,
)


def pytest_configure(config):
    config.addinivalue_line("markers", "keras: needs TensorFlow/Keras (the baseline)")
