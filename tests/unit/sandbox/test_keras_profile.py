"""The Keras worker profile: TensorFlow in the worker (never in the judge), its limits, its /proc.

One worker is started for the whole module (TensorFlow's import takes seconds).
"""

import sys

import pytest

from grader import config
from grader.sandbox.runner import SandboxLimits, Worker

pytestmark = [pytest.mark.sandbox, pytest.mark.keras]

LAB = b'''
import os, subprocess

def build_mlp(n_inputs, hidden, n_outputs=1, dropout_rate=0.0):
    import keras
    model = keras.Sequential([keras.Input((n_inputs,))])
    for units in hidden:
        model.add(keras.layers.Dense(units, activation="relu"))
    model.add(keras.layers.Dense(n_outputs, activation="sigmoid"))
    return model

def compile_and_fit(*args, **kwargs):
    raise NotImplementedError

def processes():
    return sorted(int(p) for p in os.listdir("/proc") if p.isdigit())

def shell():
    return subprocess.run(["true"]).returncode
'''


def _probe_source() -> bytes:
    return (config.PACKAGE_DIR / "sandbox" / "keras_probe.py").read_bytes()


@pytest.fixture(scope="module")
def worker():
    with Worker({"keras_lab.py": LAB, "keras_probe.py": _probe_source()},
                limits=SandboxLimits().profile("keras")) as w:
        yield w


def test_the_profile_sets_limits_sized_for_tensorflow_and_the_default_has_none():
    default, keras = SandboxLimits(), SandboxLimits().profile("keras")
    assert default.preload == () and not default.mount_proc
    assert SandboxLimits().profile("default") == default
    assert keras.preload == ("tensorflow", "keras") and keras.mount_proc
    assert keras.memory_mb >= 4096 > default.memory_mb
    assert keras.call_timeout_s > default.call_timeout_s and keras.max_processes >= 64
    assert keras.preload_env["CUDA_VISIBLE_DEVICES"] == ""
    with pytest.raises(ValueError, match="profile"):
        SandboxLimits().profile("gpu")


def test_a_keras_model_comes_back_as_plain_data(worker):
    tensorflow_here = "tensorflow" in sys.modules      # other tests of this run may import it
    out = worker.call("keras_probe", "describe_mlp", 3, [5], 1, 0.0)
    assert out.ok, (out.status, out.info, out.output[-2000:])
    model = out.value
    assert model["is_model"] and model["type"] == "Sequential"
    assert [(layer["type"], layer.get("units"), layer.get("activation"))
            for layer in model["layers"]] == [("Dense", 5, "relu"), ("Dense", 1, "sigmoid")]
    assert model["params"] == (3 + 1) * 5 + (5 + 1) * 1 and model["compiled"] is False
    from grader.exercises import load_unit_module     # the checks take the probe's own form
    assert load_unit_module("keras_lab", "public").well_formed("describe_mlp", model) is model
    assert tensorflow_here or "tensorflow" not in sys.modules, "TensorFlow entered the judge"


def test_student_code_in_a_keras_worker_is_still_refused_a_subprocess(worker):
    out = worker.call("keras_lab", "shell")
    assert out.status == "violation"
    assert out.violations and out.violations[0]["kind"] == "forbidden_operation"


def test_its_proc_shows_only_the_sandbox_processes(worker):
    out = worker.call("keras_lab", "processes")
    assert out.ok, (out.status, out.info)
    assert len(out.value) <= 3, out.value     # PID 1 (the worker) and its waiter, not the host


def test_the_probe_says_which_devices_tensorflow_trains_on_and_the_cpu_worker_has_no_gpu(
        worker):
    seen = worker.call("keras_probe", "devices")
    assert seen.status == "ok", seen.info
    assert "CPU:0" in seen.value and not any(d.startswith("GPU") for d in seen.value)
