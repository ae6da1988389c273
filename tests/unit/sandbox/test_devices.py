"""Where the Keras workers train (grader/sandbox/devices.py): the GPU plan of a batch, the
device nodes bound into a worker, and the memory cgroup that bounds a GPU worker instead
of an address-space limit.

The plan and the profile are tested everywhere; the worker tests need what they test (a
writable memory cgroup, root for a device node) and are skipped where it is missing. No
test needs a GPU: a GPU node is stood in for by a character device of /dev/null's numbers.
"""

import os
import time

import pytest

from grader.checks.engine import problem_feedback
from grader.checks.errors import StudentProblem
from grader.sandbox import devices
from grader.sandbox.runner import SandboxLimits, Worker


def _touch(folder, *names):
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text("")
    return str(folder)


def test_nvidia_nodes_need_a_control_node_and_a_gpu_node(tmp_path):
    dev = _touch(tmp_path / "dev", "nvidiactl", "nvidia0", "nvidia-uvm", "nvidia-foo", "null")
    assert devices.nvidia_device_nodes(dev) == [
        os.path.join(dev, n) for n in ("nvidia-uvm", "nvidia0", "nvidiactl")]
    assert devices.nvidia_device_nodes(_touch(tmp_path / "no_gpu", "nvidiactl")) == []
    assert devices.nvidia_device_nodes(_touch(tmp_path / "no_ctl", "nvidia0")) == []
    assert devices.nvidia_device_nodes(str(tmp_path / "missing")) == []


def test_the_plan_is_the_cpu_unless_a_gpu_and_a_memory_cgroup_are_both_there(tmp_path):
    gpu = _touch(tmp_path / "gpu", "nvidiactl", "nvidia0")
    empty = _touch(tmp_path / "empty")
    group = {"version": 2, "base": str(tmp_path / "cg")}
    usable = devices.keras_device_plan("auto", dev=gpu, group=group, probe=lambda g: None)
    assert usable["device"] == "gpu" and usable["reason"] == "gpu"
    assert usable["nodes"] == [os.path.join(gpu, "nvidia0"), os.path.join(gpu, "nvidiactl")]
    assert usable["cgroup"] == group

    asked_cpu = devices.keras_device_plan("cpu", dev=gpu, group=group, probe=lambda g: None)
    assert (asked_cpu["device"], asked_cpu["reason"], asked_cpu["nodes"]) == (
        "cpu", "asked_cpu", [])
    no_gpu = devices.keras_device_plan("auto", dev=empty, group=group, probe=lambda g: None)
    assert (no_gpu["device"], no_gpu["reason"]) == ("cpu", "no_gpu")
    no_cgroup = devices.keras_device_plan("gpu", dev=gpu, group=group,
                                          probe=lambda g: "cannot create a cgroup")
    assert (no_cgroup["device"], no_cgroup["reason"]) == ("cpu", "no_cgroup")
    assert no_cgroup["detail"] == "cannot create a cgroup" and no_cgroup["cgroup"] is None
    with pytest.raises(ValueError, match="tpu"):
        devices.keras_device_plan("tpu")


def test_the_memory_cgroup_is_found_in_v2_first_then_in_v1(tmp_path):
    unified = tmp_path / "unified" / "user.slice"
    unified.mkdir(parents=True)
    (unified / "cgroup.controllers").write_text("cpu io memory pids\n")
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text(
        f"30 25 0:26 / {tmp_path}/unified rw,relatime shared:4 - cgroup2 cgroup2 rw\n"
        f"31 25 0:27 / {tmp_path}/memory rw,relatime shared:5 - cgroup cgroup rw,memory\n")
    cgroup = tmp_path / "cgroup"
    cgroup.write_text("4:memory:/batch\n0::/user.slice\n")
    assert devices.cgroup_find_memory(str(mountinfo), str(cgroup)) == {
        "version": 2, "base": str(unified)}

    (unified / "cgroup.controllers").write_text("cpu io pids\n")     # no memory in v2
    assert devices.cgroup_find_memory(str(mountinfo), str(cgroup)) == {
        "version": 1, "base": str(tmp_path / "memory" / "batch")}
    cgroup.write_text("0::/user.slice\n")                            # and none in v1 either
    assert devices.cgroup_find_memory(str(mountinfo), str(cgroup)) is None
    assert devices.cgroup_find_memory(str(tmp_path / "none"), str(cgroup)) is None


def test_a_gpu_plan_changes_the_keras_profile_only():
    plan = {"device": "gpu", "nodes": ["/dev/nvidiactl", "/dev/nvidia0"],
            "cgroup": {"version": 1, "base": "/sys/fs/cgroup/memory/x"}}
    limits = SandboxLimits(keras_device=plan)
    keras = limits.profile("keras")
    assert keras.devices == ("/dev/nvidiactl", "/dev/nvidia0")
    assert keras.memory_cgroup == plan["cgroup"] and keras.memory_mb >= 4096
    assert "CUDA_VISIBLE_DEVICES" not in keras.preload_env
    assert keras.preload_env["TF_FORCE_GPU_ALLOW_GROWTH"] == "true"
    assert limits.profile("default").devices == () and limits.memory_cgroup is None
    cpu = SandboxLimits(keras_device={"device": "cpu", "nodes": [], "cgroup": None})
    assert cpu.profile("keras").devices == () and cpu.profile("keras").memory_cgroup is None
    assert cpu.profile("keras").preload_env["CUDA_VISIBLE_DEVICES"] == ""


def _usable_cgroup():
    group = devices.cgroup_find_memory()
    problem = devices.cgroup_probe(group)
    if problem is not None:
        pytest.skip(f"no writable memory cgroup here: {problem}")
    return group


def _ours(group):
    return {n for n in os.listdir(group["base"]) if n.startswith("grader-")}


BOMB = b"""
import mmap
_kept = []

def reserve(gb):
    # what CUDA does at start-up: address space, not memory
    return len(mmap.mmap(-1, gb << 30, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS))

def grow(mb):
    while True:
        _kept.append(bytearray(mb << 20))

def devices():
    import os
    return sorted(os.listdir("/dev"))
"""


@pytest.mark.sandbox
def test_a_worker_in_a_memory_cgroup_may_reserve_address_space_but_not_use_memory():
    group = _usable_cgroup()
    before = _ours(group)
    limits = SandboxLimits(memory_mb=256, memory_cgroup=group, call_timeout_s=20)
    with Worker({"m.py": BOMB}, limits=limits) as worker:
        reserved = worker.call("m", "reserve", 8)
        assert reserved.status == "ok" and reserved.value == 8 << 30
        grown = worker.call("m", "grow", 16)
        assert grown.status == "crashed" and grown.info["memory_mb"] == 256
        status, feedback = problem_feedback(StudentProblem("m", "grow", grown))
        assert feedback.key == "feedback.crashed_memory"
        assert "256 MB" in feedback.render("en") and "256 MB" in feedback.render("es")
    deadline = time.monotonic() + 5
    while _ours(group) - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _ours(group) - before == set()          # the zygote removed the worker's cgroup

    with Worker({"m.py": BOMB}, limits=SandboxLimits(memory_mb=256)) as worker:
        refused = worker.call("m", "reserve", 8)    # the address-space limit of the others
        assert refused.status == "error" and refused.info["type"] in ("OSError", "MemoryError")


@pytest.mark.sandbox
def test_a_worker_whose_cgroup_cannot_be_made_does_not_start(tmp_path):
    limits = SandboxLimits(memory_cgroup={"version": 1, "base": str(tmp_path / "missing")})
    with Worker({"m.py": BOMB}, limits=limits) as worker:
        outcome = worker.call("m", "devices")
    assert outcome.status == "crashed" and outcome.info["phase"] == "start"
    assert "memory_cgroup" in outcome.info["sandbox"]


@pytest.mark.sandbox
def test_gpu_device_nodes_are_bound_into_that_worker_only(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    node = tmp_path / "nvidia0"
    os.mknod(node, 0o666 | 0o020000, os.makedev(1, 3))     # /dev/null's numbers
    with Worker({"m.py": BOMB}, limits=SandboxLimits(devices=(str(node),))) as worker:
        seen = worker.call("m", "devices")
    with Worker({"m.py": BOMB}) as worker:
        plain = worker.call("m", "devices")
    if plain.value == seen.value and "null" not in plain.value:
        pytest.skip("workers here share the host's /dev (no mount namespace)")
    assert "nvidia0" in seen.value and "nvidia0" not in plain.value
