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

from grader import config
from grader.checks.engine import problem_feedback
from grader.checks.errors import StudentProblem
from grader.sandbox import devices
from grader.sandbox.runner import SandboxLimits, Worker


def _touch(folder, *names):
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text("")
    return str(folder)


def test_a_worker_gets_the_control_and_memory_nodes_and_the_first_gpu_only(tmp_path):
    dev = _touch(tmp_path / "dev", "nvidiactl", "nvidia10", "nvidia2", "nvidia-uvm",
                 "nvidia-uvm-tools", "nvidia-modeset", "nvidia-foo", "null")
    assert devices.nvidia_device_nodes(dev) == [
        os.path.join(dev, n) for n in ("nvidia-uvm", "nvidia2", "nvidiactl")]
    assert devices.nvidia_device_nodes(_touch(tmp_path / "no_uvm", "nvidiactl", "nvidia0")) \
        == [str(tmp_path / "no_uvm" / "nvidia0"), str(tmp_path / "no_uvm" / "nvidiactl")]
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


def test_an_oom_kill_is_the_workers_only_when_its_own_limit_was_reached(tmp_path):
    def cgroup(name, **files):
        path = tmp_path / name
        path.mkdir()
        for file, text in files.items():
            (path / file.replace("_", ".", 1)).write_text(text)
        return str(path)

    v1 = "oom_kill_disable 0\nunder_oom 0\noom_kill {}\n"
    limit = "268435456\n"
    assert devices.cgroup_oom_killed(cgroup("own", memory_oom_control=v1.format(1),
                                            memory_max_usage_in_bytes=limit,
                                            memory_limit_in_bytes=limit))
    # killed for want of memory above it (a container's limit): not the worker's doing
    assert not devices.cgroup_oom_killed(cgroup("parent", memory_oom_control=v1.format(1),
                                                memory_max_usage_in_bytes="183500800\n",
                                                memory_limit_in_bytes=limit))
    assert not devices.cgroup_oom_killed(cgroup("none", memory_oom_control=v1.format(0),
                                                memory_max_usage_in_bytes=limit,
                                                memory_limit_in_bytes=limit))
    v2 = "low 0\nhigh 0\nmax {}\noom 1\noom_kill {}\n"
    assert devices.cgroup_oom_killed(cgroup("v2", memory_events=v2.format(4, 1)))
    assert not devices.cgroup_oom_killed(cgroup("v2p", memory_events=v2.format(0, 1)))
    assert not devices.cgroup_oom_killed(str(tmp_path / "gone"))


def test_entering_a_directory_that_is_no_cgroup_fails(tmp_path):
    fake = tmp_path / "grader-1-2"
    fake.mkdir()
    (fake / "cgroup.procs").write_text("")
    proc = tmp_path / "cgroup"
    proc.write_text("4:memory:/batch\n0::/user.slice\n")
    with pytest.raises(OSError, match="not in the memory cgroup"):
        devices.cgroup_enter(str(fake), proc_cgroup=str(proc))
    proc.write_text("4:memory:/batch/grader-1-2\n0::/\n")
    devices.cgroup_enter(str(fake), proc_cgroup=str(proc))      # what the kernel would say


def test_a_gpu_plan_changes_the_keras_profile_only():
    plan = {"device": "gpu", "nodes": ["/dev/nvidiactl", "/dev/nvidia0"],
            "cgroup": {"version": 1, "base": "/sys/fs/cgroup/memory/x"}}
    limits = SandboxLimits(keras_device=plan)
    keras = limits.profile("keras")
    assert keras.devices == ("/dev/nvidiactl", "/dev/nvidia0")
    assert keras.memory_cgroup == plan["cgroup"] and keras.memory_mb >= 4096
    assert "CUDA_VISIBLE_DEVICES" not in keras.preload_env
    assert keras.gpu_memory_mb == config.KERAS_GPU_MEMORY_MB > 0
    assert limits.profile("default").gpu_memory_mb == 0
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
@pytest.mark.parametrize("base", ["missing", "plain"])
def test_a_worker_whose_cgroup_cannot_be_made_does_not_start_and_it_is_not_the_students_fault(
        tmp_path, base):
    folder = tmp_path / base
    if base == "plain":       # a directory that is no cgroup: files of those names do nothing
        folder.mkdir()
    limits = SandboxLimits(memory_cgroup={"version": 1, "base": str(folder)})
    with Worker({"m.py": BOMB}, limits=limits) as worker:
        outcome = worker.call("m", "devices")
    assert outcome.status == "crashed" and outcome.info["phase"] == "start"
    assert "memory_cgroup" in outcome.info["sandbox"]
    status, feedback = problem_feedback(StudentProblem("m", "devices", outcome))
    assert feedback.key == "feedback.sandbox_failed"
    assert "not your code's fault" in feedback.render("en")
    assert "No es culpa de tu código" in feedback.render("es")


@pytest.mark.sandbox
@pytest.mark.parametrize("gpu", [False, True])
def test_a_worker_dies_with_its_zygote_even_after_dropping_privileges(gpu):
    """kill -9 of the judge's zygote (and so of the waiter) while student code sleeps: the
    worker must not live on (a change of uid clears the parent-death signal)."""
    import signal

    from grader.sandbox.launcher import launcher

    limits = SandboxLimits(call_timeout_s=60)
    if gpu:
        limits = SandboxLimits(memory_mb=256, memory_cgroup=_usable_cgroup(), call_timeout_s=60)
    source = b"import time\ndef nap():\n    time.sleep(3600)\n"
    worker = Worker({"m.py": source}, limits=limits).start()
    try:
        assert worker.call("m", "nap", timeout=0.3).status == "timeout"   # restarts it
        worker.start()
        assert worker._ensure_ready() is None
        waiter = worker.pid
        with open(f"/proc/{waiter}/task/{waiter}/children") as fh:
            children = [int(p) for p in fh.read().split()]
        if not children:
            pytest.skip("no PID namespace here: the worker is the zygote's own child")
        zygote = launcher().proc.pid
        os.kill(zygote, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while any(os.path.exists(f"/proc/{c}") for c in children) and \
                time.monotonic() < deadline:
            time.sleep(0.05)
        alive = [c for c in children if os.path.exists(f"/proc/{c}")
                 and "Z" not in open(f"/proc/{c}/stat").read().rsplit(")", 1)[1][:3]]
        assert alive == []
    finally:
        worker.kill()
    if gpu:
        assert devices.cgroup_sweep(_usable_cgroup()) >= 0


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


def test_the_keras_workers_use_the_backend_keras_would_where_it_is_installed(monkeypatch):
    import importlib.util

    import grader.baseline.backend as backend

    installed = {"tensorflow", "jax"}
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: object() if name in installed else
                        (None if name in ("tensorflow", "jax") else real(name, *a)))
    wanted = ["jax"]     # what Keras would use (backend_name: the variable, keras.json, ...)
    monkeypatch.setattr(backend, "backend_name", lambda: wanted[0])
    assert devices.keras_lab_backend() == "jax"
    wanted[0] = "tensorflow"
    assert devices.keras_lab_backend() == "tensorflow"
    installed.discard("tensorflow")            # Keras with JAX only (the GPU machines lent)
    assert devices.keras_lab_backend() == "jax"
    installed.clear()                           # neither: TensorFlow's import reports it
    assert devices.keras_lab_backend() == "tensorflow"


@pytest.mark.parametrize("plan", [None, {"device": "gpu", "nodes": ["/dev/nvidia0"],
                                         "cgroup": {"version": 2, "base": "/x"}}])
def test_a_jax_keras_worker_preloads_jax_with_its_own_environment(monkeypatch, plan):
    monkeypatch.setattr(devices, "keras_lab_backend", lambda: "jax")
    keras = SandboxLimits(keras_device=plan).profile("keras")
    assert keras.preload == ("jax", "keras") and keras.preload_env["KERAS_BACKEND"] == "jax"
    if plan is None:
        assert keras.preload_env["JAX_PLATFORMS"] == "cpu" and keras.devices == ()
    else:
        assert "JAX_PLATFORMS" not in keras.preload_env and keras.devices == ("/dev/nvidia0",)
        assert keras.preload_env["XLA_PYTHON_CLIENT_PREALLOCATE"] == "false"
        assert "--xla_gpu_deterministic_ops=true" in keras.preload_env["XLA_FLAGS"]
    monkeypatch.setattr(devices, "keras_lab_backend", lambda: "tensorflow")
    assert SandboxLimits(keras_device=plan).profile("keras").preload == ("tensorflow", "keras")


@pytest.mark.sandbox
@pytest.mark.keras
def test_a_keras_worker_on_jax_describes_the_model_like_one_on_tensorflow(monkeypatch):
    """Keras on JAX in the worker (an install without TensorFlow, as on the GPU machines
    this project was lent): the same description of the reference network."""
    pytest.importorskip("jax")
    from grader import config

    files = {"keras_lab.py": (config.SOLUTIONS_DIR / "keras_lab.py").read_bytes(),
             "keras_probe.py": (config.PACKAGE_DIR / "sandbox" / "keras_probe.py").read_bytes()}
    described = {}
    for backend in ("jax", "tensorflow"):
        monkeypatch.setattr(devices, "keras_lab_backend", lambda b=backend: b)
        with Worker(files, limits=SandboxLimits().profile("keras")) as worker:
            seen = worker.call("keras_probe", "devices")
            assert seen.status == "ok" and seen.value[0] == "CPU:0", seen.info
            out = worker.call("keras_probe", "describe_mlp", 2, [8], 1, 0.5)
            assert out.status == "ok", out.info
            described[backend] = out.value
    assert described["jax"] == described["tensorflow"]


@pytest.mark.sandbox
def test_an_exit_notice_kept_for_a_pid_is_never_taken_for_a_new_worker_with_that_pid(
        monkeypatch):
    """A worker's exit notice read after its judge stopped waiting stays in the launcher; a
    later worker given the same pid (pids are reused) must not be taken for dead, or for
    killed for memory."""
    from grader.sandbox.launcher import ZygoteLauncher, launcher

    zygote = launcher()
    if not isinstance(zygote, ZygoteLauncher):
        pytest.skip("workers here are not started by a zygote")
    real = ZygoteLauncher._pump

    def stale_notice_first(self, deadline, want):
        reply = real(self, deadline, want)
        if reply is not None and reply.get("op") == "spawned" and reply.get("pid"):
            self.exits[int(reply["pid"])] = 9            # as if a dead worker had had it
            self.oom_killed.add(int(reply["pid"]))
        return reply

    monkeypatch.setattr(ZygoteLauncher, "_pump", stale_notice_first)
    with Worker({"m.py": BOMB}) as worker:
        outcome = worker.call("m", "devices")
        assert outcome.status == "ok", outcome.info
        assert worker.handle.wait(0.05) is None and not worker.handle.oom


GREEDY = b'''
import os

os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=8"
os.environ["XLA_PYTHON_CLIENT_MEM_FRACTION"] = "0.95"
try:
    import tensorflow as _tf
    _tf.config.threading.set_intra_op_parallelism_threads(64)
    _TF = "changed"
except ImportError:
    _TF = "absent"
except RuntimeError:
    _TF = "refused"


def seen():
    import keras
    out = {"tensorflow": _TF}
    if keras.backend.backend() == "jax":
        import jax
        out["devices"] = len(jax.devices())
    return out
'''


@pytest.mark.sandbox
@pytest.mark.keras
@pytest.mark.parametrize("backend", ["tensorflow", "jax"])
def test_student_code_cannot_change_the_backends_settings_before_they_start(monkeypatch,
                                                                              backend):
    """revHost2: JAX reads XLA_FLAGS and XLA_PYTHON_CLIENT_* when its backend starts (the
    first array) and TensorFlow's devices and threads can be set until its runtime starts:
    a keras_lab.py setting them at import had them (95 % of a shared GPU, every CPU
    thread). The worker starts the backend before any student code."""
    pytest.importorskip(backend)
    monkeypatch.setattr(devices, "keras_lab_backend", lambda: backend)
    with Worker({"greedy.py": GREEDY}, limits=SandboxLimits().profile("keras")) as worker:
        out = worker.call("greedy", "seen")
    assert out.status == "ok", out.info
    if backend == "jax":
        assert out.value["devices"] == 1                 # not the student's 8
    else:
        assert out.value["tensorflow"] == "refused"      # started before the student's module
