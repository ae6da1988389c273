"""Which Keras backend and device the baseline runs on, and setting them up for float64.

Nothing here imports TensorFlow, JAX or Keras at module level. ``keras_module()``
imports Keras the first time it is called, after setting the environment the
backends read at import time, and then configures it once for the whole
process (these settings are global in Keras and in the backends):

- ``keras.config.set_floatx("float64")`` and ``set_epsilon(CLIP_EPS)``;
- TensorFlow: op determinism on, TF32 off (``enable_tensor_float_32_execution(False)``);
  ``TF_CPP_MIN_LOG_LEVEL=3`` and ``TF_ENABLE_ONEDNN_OPTS=0`` unless already set
  (quiet logs; Eigen kernels; must precede the import to count);
- JAX: ``JAX_ENABLE_X64=1`` before the import and ``jax_enable_x64`` after it
  (without them every float64 array silently becomes float32),
  ``jax_default_matmul_precision="highest"``, and, where a JAX GPU plugin is
  installed, ``--xla_gpu_deterministic_ops=true`` in ``XLA_FLAGS``.

``resolve_device`` answers "which device would this run on?" without importing
anything heavy whenever the answer is certainly the CPU, so that a cache hit
never pays for TensorFlow.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from grader.baseline.errors import BaselineError, DeviceUnavailableError

SUPPORTED_BACKENDS = ("tensorflow", "jax")
DEVICES = ("auto", "cpu", "gpu")
# Probabilities are clipped to [CLIP_EPS, 1 - CLIP_EPS] in the reported loss,
# on both sides (the exercises' binary_cross_entropy and Keras's epsilon).
CLIP_EPS = 1e-7

# Distributions that carry each backend (the first one installed gives the version).
_DISTRIBUTIONS = {
    "tensorflow": ("tensorflow", "tensorflow-cpu", "tf-nightly", "tensorflow-macos",
                   "tensorflow-intel"),
    "jax": ("jax",),
}
# Distributions of a backend that can see an NVIDIA/AMD GPU.
_GPU_DISTRIBUTIONS = {
    "tensorflow": ("tensorflow", "tf-nightly"),
    "jax": ("jax-cuda12-plugin", "jax-cuda13-plugin", "jax-cuda12-pjrt", "jax-cuda13-pjrt",
            "jax-rocm60-plugin", "jax-rocm7-plugin", "jaxlib-cuda"),
}

_KERAS = None   # the configured keras module, once imported


@dataclass(frozen=True)
class DeviceInfo:
    """Where the baseline actually ran."""

    device: str            # "cpu" or "gpu"
    device_name: str       # what keras.device() was given: "cpu:0" or "gpu:0"
    description: str       # for people: "CPU" or the GPU's name
    backend: str           # "tensorflow" or "jax"
    backend_version: str
    keras_version: str
    floatx: str = "float64"

    def as_dict(self) -> dict:
        return asdict(self)


def backend_name() -> str:
    """The Keras backend, read the way Keras reads it, without importing Keras.

    ``KERAS_BACKEND`` first, then ``"backend"`` in ``$KERAS_HOME/keras.json``
    (default ``~/.keras/keras.json``), else ``"tensorflow"``. Once Keras is
    imported, Keras's own answer.
    """
    if "keras" in sys.modules and hasattr(sys.modules["keras"], "backend"):
        return sys.modules["keras"].backend.backend()
    if os.environ.get("KERAS_BACKEND"):
        return os.environ["KERAS_BACKEND"]
    keras_home = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")
    try:
        return json.loads((keras_home / "keras.json").read_text()).get("backend", "tensorflow")
    except (OSError, ValueError, AttributeError):
        return "tensorflow"


def _installed(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def versions(backend: str | None = None) -> dict[str, str | None]:
    """Installed versions (no import): ``{"keras": ..., "<backend>": ..., ...}``."""
    backend = backend or backend_name()
    found = {"keras": _installed("keras")}
    for dist in _DISTRIBUTIONS.get(backend, (backend,)):
        if _installed(dist):
            found[backend] = _installed(dist)
            break
    else:
        found[backend] = None
    if backend == "jax":
        found["jaxlib"] = _installed("jaxlib")
    return found


def _gpu_possible(backend: str) -> bool:
    """False when the backend certainly sees no GPU (decided without importing it)."""
    if os.environ.get("CUDA_VISIBLE_DEVICES", "unset").strip() in ("", "-1"):
        return False
    if not any(_installed(d) for d in _GPU_DISTRIBUTIONS.get(backend, ())):
        return False
    dev = Path("/dev")
    return any(dev.glob("nvidia[0-9]*")) or (dev / "kfd").exists()


def _check_device(device: str, lang: str | None) -> None:
    if device not in DEVICES:
        raise BaselineError("baseline.bad_device", lang, device=device)


def _check_backend(backend: str, lang: str | None) -> None:
    if backend not in SUPPORTED_BACKENDS:
        raise BaselineError("baseline.bad_backend", lang, backend=backend)


def resolve_device(device: str = "auto", lang: str | None = None) -> str:
    """``"cpu"`` or ``"gpu"``: where ``device`` would run, importing the backend only if needed.

    ``"gpu"`` where no GPU can be seen raises ``DeviceUnavailableError``.
    """
    _check_device(device, lang)
    backend = backend_name()
    _check_backend(backend, lang)
    if device == "cpu":
        return "cpu"
    if not _gpu_possible(backend):
        if device == "gpu":
            raise DeviceUnavailableError("baseline.no_gpu", lang, backend=backend)
        return "cpu"
    return select_device(device, lang).device


def findable(name: str) -> bool:
    """Whether ``import name`` would find an installed module; imports nothing."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def keras_module():
    """Import Keras (once), configured for float64 and determinism; see the module docstring."""
    global _KERAS
    if _KERAS is not None:
        return _KERAS
    backend = backend_name()
    _check_backend(backend, None)
    found = versions(backend)
    for package in ("keras", backend):
        if found[package] is None:
            raise BaselineError("baseline.no_keras", None, package=package)
    if backend == "tensorflow":
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    else:
        os.environ["JAX_ENABLE_X64"] = "1"
        flags = os.environ.get("XLA_FLAGS", "")
        if _gpu_possible("jax") and "xla_gpu_deterministic_ops" not in flags:
            os.environ["XLA_FLAGS"] = (flags + " --xla_gpu_deterministic_ops=true").strip()
    import keras

    keras.config.set_floatx("float64")
    keras.config.set_epsilon(CLIP_EPS)
    if backend == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
        tf.config.experimental.enable_tensor_float_32_execution(False)
    else:
        import jax

        jax.config.update("jax_enable_x64", True)
        jax.config.update("jax_default_matmul_precision", "highest")
    _KERAS = keras
    return keras


def _visible_gpus(backend: str) -> list[str]:
    """Names of the GPUs the (imported) backend sees."""
    if backend == "tensorflow":
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        names = []
        for gpu in gpus:
            try:
                details = tf.config.experimental.get_device_details(gpu)
                names.append(details.get("device_name", gpu.name))
            except (RuntimeError, ValueError):
                names.append(gpu.name)
        return names
    import jax

    try:
        return [getattr(d, "device_kind", str(d)) for d in jax.devices("gpu")]
    except RuntimeError:   # no GPU backend at all
        return []


def select_device(device: str = "auto", lang: str | None = None) -> DeviceInfo:
    """Set up Keras and pick the device: ``"auto"`` (a GPU if visible), ``"cpu"`` or ``"gpu"``.

    Inputs:
    - device: ``"auto" | "cpu" | "gpu"``; ``"gpu"`` never falls back to the CPU
    - lang: language of the error messages (``"es" | "en"``)

    Returns:
    - DeviceInfo: the device actually used, the backend, Keras's and the backend's versions

    Raises:
    - DeviceUnavailableError for ``"gpu"`` when the backend sees none
    - BaselineError for an unknown device or an unsupported backend
    """
    _check_device(device, lang)
    backend = backend_name()
    _check_backend(backend, lang)
    keras = keras_module()
    gpus = _visible_gpus(backend) if device != "cpu" and _gpu_possible(backend) else []
    if device == "gpu" and not gpus:
        raise DeviceUnavailableError("baseline.no_gpu", lang, backend=backend)
    use_gpu = bool(gpus)
    found = versions(backend)
    return DeviceInfo(
        device="gpu" if use_gpu else "cpu",
        device_name="gpu:0" if use_gpu else "cpu:0",
        description=gpus[0] if use_gpu else "CPU",
        backend=backend,
        backend_version=str(found.get(backend)),
        keras_version=keras.__version__,
        floatx=keras.config.floatx(),
    )
