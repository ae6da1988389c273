"""`grader compare --device gpu` where no GPU is visible: one clear line, never a traceback."""

import pytest
from click.testing import CliRunner

from grader import config
from grader.baseline.backend import resolve_device
from grader.baseline.errors import DeviceUnavailableError
from grader.cli import cli

pytestmark = pytest.mark.sandbox


def _gpu_visible() -> bool:
    try:
        return resolve_device("gpu") == "gpu"
    except DeviceUnavailableError:
        return False


@pytest.mark.parametrize("lang, words", [("en", "The GPU was asked for"),
                                         ("es", "Se pidió la GPU")])
def test_compare_on_a_gpu_without_one_says_so_in_one_line_and_exits_one(lang, words):
    if _gpu_visible():
        pytest.skip("a GPU is visible here")
    result = CliRunner().invoke(cli, ["compare", "--path", str(config.SOLUTIONS_DIR),
                                      "--device", "gpu", "--epochs", "1", "--lang", lang])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ") and words in result.output
    assert "--device cpu" in result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, DeviceUnavailableError)
