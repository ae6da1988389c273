"""Where the Keras workers train: an NVIDIA GPU when one is usable, the CPU otherwise.

A GPU is usable in the sandbox when both hold:

- its device nodes are visible (``/dev/nvidiactl`` and at least one ``/dev/nvidiaN``):
  they are bound into the worker's otherwise empty ``/dev``;
- the worker's memory can be bounded without an address-space limit: CUDA reserves
  tens of GB of address space at start-up, far more than any RLIMIT_AS a worker could
  be given, so a GPU worker is bounded by a **memory cgroup** of its own instead
  (cgroup v2 ``memory.max``, or cgroup v1 ``memory.limit_in_bytes``) that the zygote
  creates, enters and removes. The no-fork seccomp filter stays: the worker is still
  one process (what the driver allocates on the host for it is charged to the cgroup as
  far as the kernel charges it: not verified on a GPU).

``keras_device_plan`` decides once per batch (the judge never decides it from what a
worker says). ``--keras-device gpu`` refuses to grade where the GPU is not usable;
``auto`` (the default) falls back to the CPU and the summary says why.

This file is also part of the zygote's program (launcher.zygote_source), which creates,
enters and removes the cgroups: plain functions of the standard library, no ``from
__future__`` import, and no import of the package at module level (``keras_lab_backend``,
called in the judge only, imports it).
"""

import os
import re

CHOICES = ("auto", "cpu", "gpu")


def nvidia_device_nodes(dev: str = "/dev") -> list[str]:
    """The NVIDIA device nodes a worker needs for CUDA under ``dev``: the control node,
    the unified-memory node where there is one, and the FIRST GPU only (a worker never
    sees the other GPUs; profiling and display nodes are left out); [] when there is no
    control node or no GPU node."""
    try:
        names = set(os.listdir(dev))
    except OSError:
        return []
    gpus = sorted((n for n in names if re.fullmatch(r"nvidia\d+", n)), key=lambda n: int(n[6:]))
    if "nvidiactl" not in names or not gpus:
        return []
    wanted = ["nvidiactl"] + (["nvidia-uvm"] if "nvidia-uvm" in names else []) + gpus[:1]
    return [os.path.join(dev, n) for n in sorted(wanted)]


# -- memory cgroups (also run inside the zygote) ------------------------------------------------

def _cgroup_memberships(proc_cgroup="/proc/self/cgroup"):
    """``{controller: path}`` of /proc/self/cgroup (v2's unified hierarchy under "")."""
    with open(proc_cgroup) as fh:
        lines = [line.rstrip("\n").split(":", 2) for line in fh]
    return {controller: fields[2] for fields in lines if len(fields) == 3
            for controller in (fields[1].split(",") if fields[1] else [""])}


def _cgroup_mounts(mountinfo):
    """``[(mount point, fstype, super options)]`` of the cgroup file systems mounted."""
    mounts = []
    with open(mountinfo) as fh:
        for fields in (line.split() for line in fh):
            if "-" in fields:
                sep = fields.index("-")
                if len(fields) > sep + 3 and fields[sep + 1] in ("cgroup", "cgroup2"):
                    mounts.append((fields[4], fields[sep + 1], fields[sep + 3].split(",")))
    return mounts


def cgroup_find_memory(mountinfo="/proc/self/mountinfo", cgroup="/proc/self/cgroup"):
    """The memory cgroup of this process as ``{"version": 1 | 2, "base": directory}``, or
    None: v2 where the unified hierarchy has the memory controller, else the v1 memory
    hierarchy. Whether children can be made there is ``cgroup_probe``'s question."""
    try:
        mounts = _cgroup_mounts(mountinfo)
        paths = _cgroup_memberships(cgroup)
    except OSError:
        return None
    for point, fstype, _ in mounts:
        if fstype == "cgroup2" and "" in paths:
            base = os.path.join(point, paths[""].lstrip("/"))
            try:
                with open(os.path.join(base, "cgroup.controllers")) as fh:
                    if "memory" in fh.read().split():
                        return {"version": 2, "base": base}
            except OSError:
                pass
    for point, fstype, options in mounts:
        if fstype == "cgroup" and "memory" in options and "memory" in paths:
            return {"version": 1, "base": os.path.join(point, paths["memory"].lstrip("/"))}
    return None


def _cgroup_write(path, text):
    with open(path, "w") as fh:
        fh.write(text)


# What a worker's cgroup is given, per version: (file, value; None: the limit), the optional
# ones written only where the kernel has them (swap accounting, swappiness).
_CGROUP_LIMITS = {
    2: [("memory.max", None, True), ("memory.swap.max", "0", False)],
    1: [("memory.limit_in_bytes", None, True), ("memory.memsw.limit_in_bytes", None, False),
        ("memory.swappiness", "0", False)],
}


def cgroup_create(group, name, memory_mb):
    """A child cgroup ``name`` of ``group`` limited to ``memory_mb`` (no swap); its path."""
    path = os.path.join(group["base"], name)
    os.mkdir(path, 0o755)
    limit = str(int(memory_mb) * 1024 * 1024)
    try:
        for file, value, required in _CGROUP_LIMITS[2 if group["version"] == 2 else 1]:
            if required or os.path.exists(os.path.join(path, file)):
                _cgroup_write(os.path.join(path, file), value or limit)
    except OSError:
        cgroup_remove(path)
        raise
    return path


def cgroup_enter(path, proc_cgroup="/proc/self/cgroup"):
    """Move the calling process into the cgroup at ``path``, and check that the kernel
    says it is there (a plain directory with files of those names is no cgroup: OSError)."""
    _cgroup_write(os.path.join(path, "cgroup.procs"), str(os.getpid()))
    name = "/" + os.path.basename(os.path.normpath(path))
    try:
        paths = _cgroup_memberships(proc_cgroup)
    except OSError:
        paths = {}
    if not any(paths.get(c, "").endswith(name) for c in ("", "memory")):
        raise OSError(0, f"not in the memory cgroup {path} after entering it")


def _cgroup_counts(path, names):
    """``{key: int}`` of the first of ``names`` that can be read (flat-keyed cgroup files)."""
    for name in names:
        try:
            with open(os.path.join(path, name)) as fh:
                counts = {}
                for line in fh:
                    key, _, value = line.partition(" ")
                    if value.strip().isdigit():
                        counts[key] = int(value)
                return counts
        except OSError:
            continue
    return {}


def cgroup_oom_killed(path) -> bool:
    """Whether the kernel killed a process of the cgroup because it reached ITS OWN limit
    (a kill for want of memory above it, e.g. a container's limit, is not the worker's)."""
    events = _cgroup_counts(path, ("memory.events.local", "memory.events"))
    if events:                                                  # cgroup v2
        return events.get("oom_kill", 0) > 0 and events.get("max", 0) > 0
    killed = _cgroup_counts(path, ("memory.oom_control",)).get("oom_kill", 0) > 0
    # its own limit reached: its peak is the limit (memory.failcnt stays 0 when the kernel
    # goes straight to the OOM killer, as it does without swap)
    try:
        peak, limit = (_cgroup_number(path, name)
                       for name in ("memory.max_usage_in_bytes", "memory.limit_in_bytes"))
    except (OSError, ValueError):
        return False
    return killed and peak >= limit - (1 << 20)


def _cgroup_number(path, name):
    with open(os.path.join(path, name)) as fh:
        return int(fh.read().strip())


def cgroup_remove(path) -> bool:
    """Remove an (empty) cgroup; False while processes of it are still dying."""
    try:
        os.rmdir(path)
        return True
    except FileNotFoundError:
        return True
    except OSError:
        return False


def cgroup_sweep(group) -> int:
    """Remove the cgroups left by zygotes that are gone (a judge killed mid-batch):
    ``grader-<zygote pid>-<worker pid>`` whose zygote no longer runs. Returns how many."""
    removed = 0
    try:
        names = os.listdir(group["base"])
    except (OSError, KeyError, TypeError):
        return 0
    import signal
    import time

    for name in names:
        found = re.fullmatch(r"grader-(\d+)-\d+", name)
        if found is None or os.path.exists(f"/proc/{found.group(1)}"):
            continue
        path = os.path.join(group["base"], name)
        deadline = time.monotonic() + 2.0
        while True:         # a worker that outlived its zygote is killed first
            try:
                with open(os.path.join(path, "cgroup.procs")) as fh:
                    pids = [int(p) for p in fh.read().split() if p.isdigit()]
            except OSError:
                pids = []
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            if cgroup_remove(path):
                removed += 1
                break
            if time.monotonic() > deadline:
                break
            time.sleep(0.02)
    return removed


def cgroup_probe(group) -> str | None:
    """None when a child cgroup with a memory limit can be made and entered here, else the
    reason in a few words (for the summary)."""
    if group is None:
        return "no memory cgroup"
    name = f"grader-probe-{os.getpid()}"
    try:
        path = cgroup_create(group, name, 64)
    except OSError as exc:
        return f"cannot create a cgroup in {group['base']} ({exc.strerror or exc})"
    try:
        pid = os.fork()
        if pid == 0:                      # the child enters it, and ends
            code = 0
            try:
                cgroup_enter(path)
            except OSError:
                code = 1
            except BaseException:  # noqa: BLE001 - never run on in a forked copy
                code = 2
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            return f"cannot move a process into a cgroup of {group['base']}"
        return None
    finally:
        cgroup_remove(path)


# -- the backend of the Keras workers ----------------------------------------------------------

def keras_lab_backend() -> str:
    """The Keras backend the Keras workers import: "tensorflow" or "jax".

    The one Keras itself would use (``KERAS_BACKEND``, else ``~/.keras/keras.json``, else
    TensorFlow), where it is installed; else the other one where that is (an install of
    Keras with JAX and no TensorFlow, as on the GPU machines this project was lent); else
    "tensorflow" (whose import then fails, reported by the worker)."""
    import importlib.util

    from grader.baseline.backend import backend_name

    wanted = backend_name()
    order = [wanted] + [b for b in ("tensorflow", "jax") if b != wanted]
    for backend in order:
        if backend in ("tensorflow", "jax") and importlib.util.find_spec(backend) is not None:
            return backend
    return "tensorflow"


# -- the plan of a batch ------------------------------------------------------------------------

def keras_device_plan(choice: str = "auto", *, dev: str = "/dev", group=None,
                      probe=cgroup_probe) -> dict:
    """Where this batch's Keras workers train.

    ``{"device": "gpu" | "cpu", "requested": choice, "reason": key, "nodes": [paths],
    "cgroup": {"version", "base"} | None}``; ``reason`` is an i18n key suffix
    (``batch.keras_device.<reason>``). Raises ValueError for an unknown choice."""
    if choice not in CHOICES:
        raise ValueError(f"unknown Keras device {choice!r} (one of {', '.join(CHOICES)})")
    plan = {"device": "cpu", "requested": choice, "reason": "asked_cpu", "nodes": [],
            "cgroup": None, "detail": ""}
    if choice == "cpu":
        return plan
    nodes = nvidia_device_nodes(dev)
    if not nodes:
        plan["reason"] = "no_gpu"
        return plan
    group = group if group is not None else cgroup_find_memory()
    problem = probe(group)
    if problem is not None:
        plan.update(reason="no_cgroup", detail=problem)
        return plan
    cgroup_sweep(group)
    plan.update(device="gpu", reason="gpu", nodes=nodes, cgroup=group)
    return plan
