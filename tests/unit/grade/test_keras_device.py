"""`grader grade --keras-device`: where the Keras workers train (grader/sandbox/devices.py).

The class summary says where and why; ``gpu`` where no GPU is usable stops before any
student code runs, with that reason in words and no traceback. No test needs a GPU: the
plan is given, or this machine's own (which may or may not have one) is asked for.
"""

import json

import pytest
from click.testing import CliRunner

from grader.assignments import get as get_assignment
from grader.errors import GraderError
from grader.grading import batch
from grader.grading.batch import _settings, keras_worker_limits
from grader.grading.summary import build_summary
from grader.reports.summary import summary_html, summary_json, summary_text
from grader.sandbox import devices

LAB = get_assignment("3").exercises
GPU = {"device": "gpu", "requested": "auto", "reason": "gpu", "detail": "",
       "nodes": ["/dev/nvidia-uvm", "/dev/nvidia0", "/dev/nvidiactl"],
       "cgroup": {"version": 1, "base": "/sys/fs/cgroup/memory/batch"}}
NO_CGROUP = {"device": "cpu", "requested": "auto", "reason": "no_cgroup", "nodes": [],
             "detail": "cannot create a cgroup in /sys/fs/cgroup (Permission denied)",
             "cgroup": None}


def _summary(plan):
    isolation = {"network": True, "filesystem": True, "processes": True, "privileges": True,
                 "process_limit": True, "memory_mode": "nofork", "memory_mb": 1024,
                 "keras_workers": keras_worker_limits(_settings(None, None), LAB, plan)}
    return build_summary([], seed=1, isolation=isolation, older={})


def test_the_keras_workers_get_the_plan_the_batch_made():
    on_gpu = keras_worker_limits(_settings(None, None), LAB, GPU)
    assert on_gpu["device"]["device"] == "gpu" and on_gpu["device"]["cgroup_version"] == 1
    assert on_gpu["device"]["nodes"] == GPU["nodes"]
    from grader.grading.judge import sandbox_limits

    limits = sandbox_limits({**_settings(None, None), "keras_device": GPU}).profile("keras")
    assert limits.devices == tuple(GPU["nodes"]) and limits.memory_cgroup == GPU["cgroup"]
    cpu = keras_worker_limits(_settings(None, None), LAB, None)["device"]
    assert cpu["device"] == "cpu"


@pytest.mark.parametrize("lang,gpu_words,cpu_words", [
    ("en", "with the GPU (NVIDIA device nodes bound into each Keras worker: 3",
     "no memory cgroup can be created here"),
    ("es", "con la GPU (dispositivos NVIDIA montados en cada trabajador de Keras: 3",
     "no se puede crear un cgroup de memoria"),
])
def test_the_summary_says_where_the_keras_workers_trained_and_why(lang, gpu_words, cpu_words):
    for plan, words in ((GPU, gpu_words), (NO_CGROUP, cpu_words)):
        summary = _summary(plan)
        for text in (summary_text(summary, lang), summary_text(summary, lang, markdown=True),
                     summary_html(summary, lang)):
            assert words in text
        doc = json.loads(json.dumps(summary_json(summary)))
        assert doc["isolation"]["keras_workers"]["device"]["reason"] == plan["reason"]
    assert "Permission denied" in summary_text(_summary(NO_CGROUP), lang)


def test_gpu_asked_where_none_is_usable_is_refused_with_the_reason(monkeypatch):
    monkeypatch.setattr(devices, "nvidia_device_nodes", lambda dev="/dev": [])
    with pytest.raises(GraderError) as err:
        batch._keras_device_plan("gpu")
    assert "no NVIDIA GPU is visible" in err.value.message("en")
    assert "--keras-device auto" in err.value.message("en")
    assert "no se ve ninguna GPU NVIDIA" in err.value.message("es")
    assert batch._keras_device_plan("auto")["reason"] == "no_gpu"


@pytest.mark.sandbox
def test_the_cli_refuses_gpu_without_one_before_grading_and_shows_no_traceback(
        tmp_path, monkeypatch):
    from grader.cli import cli

    if devices.keras_device_plan("gpu")["device"] == "gpu":
        pytest.skip("this machine has a usable GPU")
    student = tmp_path / "class" / "ana"
    student.mkdir(parents=True)
    (student / "keras_lab.py").write_text("def build_mlp(*a, **k):\n    return None\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["grade", str(tmp_path / "class"), "--out", str(out),
                                      "--assignment", "3", "--keras-device", "gpu",
                                      "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "--keras-device gpu" in result.output and "CPU" in result.output
    assert "Traceback" not in result.output
    assert not (out / "gradebook.csv").exists()
    bad = CliRunner().invoke(cli, ["grade", str(tmp_path / "class"), "--keras-device", "tpu"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


@pytest.mark.sandbox
@pytest.mark.keras
@pytest.mark.slow
def test_the_lab_graded_through_the_gpu_path_gets_its_full_marks(tmp_path, monkeypatch):
    """Everything of the GPU path but the GPU: a stand-in node (/dev/null's numbers) bound
    into the Keras workers, their memory bounded by a cgroup instead of RLIMIT_AS, CUDA
    allowed to look; TensorFlow finds no GPU and trains on the CPU, as it would if CUDA
    failed on a real one. The reference's keras_lab must still score every point."""
    import os

    from grader import config
    from grader.grading import grade

    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    if devices.cgroup_probe(devices.cgroup_find_memory()) is not None:
        pytest.skip("no writable memory cgroup here")
    node = tmp_path / "nvidia0"
    os.mknod(node, 0o666 | 0o020000, os.makedev(1, 3))
    monkeypatch.setattr(devices, "nvidia_device_nodes", lambda dev="/dev": [str(node)])
    student = tmp_path / "class" / "ana"
    student.mkdir(parents=True)
    (student / "keras_lab.py").write_bytes((config.SOLUTIONS_DIR / "keras_lab.py").read_bytes())
    out = tmp_path / "out"
    report = grade([tmp_path / "class"], out=out, jobs=1, seed=1, lang="en", assignment="3",
                   keras_device="gpu")
    (row,) = report.rows
    assert row.scores["keras_lab"] == row.max_scores["keras_lab"] > 0
    doc = json.loads((out / "summary.json").read_text("utf-8"))
    assert doc["isolation"]["keras_workers"]["device"]["device"] == "gpu"
    assert "with the GPU" in (out / "summary.md").read_text("utf-8")
