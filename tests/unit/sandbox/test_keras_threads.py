"""What a Keras worker's backend may take of the machine before any student code runs.

Seen on a lent 16-core GPU machine (JAX 0.11.2 with its CUDA plugin, no TensorFlow): a
CPU Keras worker ran 103 threads and reached 9 GB of address space for the lab's small
network, so it crashed at its 4096 MB limit and no keras_lab could be graded there. The
worker now runs on at most two CPUs (XLA sizes its thread pools by them), with at most two
malloc arenas, and a JAX worker kept on the CPU never loads JAX's plugins.
"""

import os
import sys
import threading
import types

import pytest

from grader import config
from grader.sandbox import worker_main
from grader.sandbox.runner import SandboxLimits, Worker

SOURCE = b'''
import os
import threading

import numpy as np


def cpus():
    return sorted(os.sched_getaffinity(0))


def _vm_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmSize"):
            return int(line.split()[1]) // 1024


def address_space_of_threads(n=6):
    """MB of address space that n threads take while each holds small malloc'd blocks."""
    before = _vm_mb()
    keep, ready, go = [], threading.Barrier(n + 1), threading.Event()

    def work():
        keep.append([np.ones(16) for _ in range(2000)])   # malloc, from this thread's arena
        ready.wait()
        go.wait()

    threads = [threading.Thread(target=work) for _ in range(n)]
    for thread in threads:
        thread.start()
    ready.wait()
    grown = _vm_mb() - before
    go.set()
    for thread in threads:
        thread.join()
    return grown
'''


def test_the_keras_profile_runs_on_two_cpus_and_the_default_on_all_it_is_given():
    assert SandboxLimits().profile("keras").cpus == config.KERAS_WORKER["cpus"] == 2
    assert SandboxLimits().cpus == 0


@pytest.mark.sandbox
@pytest.mark.skipif(not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="needs two CPUs to take one away")
def test_a_worker_runs_on_at_most_the_cpus_its_limits_allow():
    mine = set(os.sched_getaffinity(0))
    with Worker({"m.py": SOURCE}, limits=SandboxLimits(cpus=1)) as worker:
        one = worker.call("m", "cpus")
    with Worker({"m.py": SOURCE}) as worker:
        every = worker.call("m", "cpus")
    assert one.status == every.status == "ok", (one.info, every.info)
    assert len(one.value) == 1 and set(one.value) <= mine
    assert set(every.value) == mine


@pytest.mark.sandbox
def test_a_worker_that_preloads_a_backend_gives_its_threads_few_malloc_arenas():
    """Six threads holding small blocks: six arenas of 64 MB of address space each, unless
    arenas are capped (two: the main one and one shared)."""
    grown = {}
    for preload in ((), ("json",)):
        limits = SandboxLimits(preload=preload, max_processes=64, mount_proc=True)
        with Worker({"m.py": SOURCE}, limits=limits) as worker:
            out = worker.call("m", "address_space_of_threads")
        assert out.status == "ok", out.info
        grown[preload] = out.value
    assert grown[("json",)] + 128 < grown[()], grown


@pytest.fixture
def fake_jax(monkeypatch):
    """``jax._src.xla_bridge`` as JAX has it: plugins discovered once, under a lock."""
    bridge = types.SimpleNamespace(_plugin_lock=threading.Lock(), _plugins_registered=False)
    src = types.ModuleType("jax._src")
    src.xla_bridge = bridge
    monkeypatch.setitem(sys.modules, "jax", types.ModuleType("jax"))
    monkeypatch.setitem(sys.modules, "jax._src", src)
    monkeypatch.setitem(sys.modules, "jax._src.xla_bridge", bridge)
    return bridge


@pytest.mark.parametrize("platforms, skipped", [("cpu", True), (None, False), ("cuda", False)])
def test_a_jax_worker_kept_on_the_cpu_skips_jaxs_plugins_and_a_gpu_worker_loads_them(
        monkeypatch, fake_jax, platforms, skipped):
    if platforms is None:
        monkeypatch.delenv("JAX_PLATFORMS", raising=False)
    else:
        monkeypatch.setenv("JAX_PLATFORMS", platforms)
    worker_main._no_jax_plugins_on_the_cpu()
    assert fake_jax._plugins_registered is skipped
    assert config.KERAS_JAX_WORKER_ENV["JAX_PLATFORMS"] == "cpu"
    assert "JAX_PLATFORMS" not in config.KERAS_JAX_GPU_ENV
