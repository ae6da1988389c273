"""The Keras baseline: the exercises' network trained by Keras, to compare students with.

TensorFlow/Keras are imported only inside this package, lazily, when a function
that needs them runs; importing ``grader.baseline`` costs nothing. Everything is
float64, deterministic, and takes plain data (NumPy arrays, lists of ``(W, b)``)
and returns NumPy arrays:

    from grader.baseline import cached, fit_sgd, select_device
    info = select_device("auto")                 # DeviceInfo: cpu/gpu, backend, versions
    run = cached(fit_sgd, params, X, Y, lr=0.5, batch_size=4, epochs=100)
    run["history"], run["weights"], run["device"]

- ``backend.py``: backend and device selection, float64/determinism set-up
- ``model.py``: the network in Keras and ``activations``, ``gradients``,
  ``predict``, ``fit_sgd``, ``dropout``; its docstring says which binary
  cross-entropy formulation both sides use and why
- ``cache.py``: the disk cache (``cached``)
- ``errors.py``: bilingual errors (``DeviceUnavailableError``), texts in grader/i18n/keras.toml
- ``suite.py``: the fixed inputs of the Keras checks (tests/checks/keras), their
  Keras results read from the cache, and ``warm_cache`` (compute them all once)
"""

from grader.baseline.backend import DeviceInfo, select_device
from grader.baseline.cache import cached, default_cache_dir
from grader.baseline.errors import BaselineError, DeviceUnavailableError
from grader.baseline.model import activations, dropout, fit_sgd, gradients, layer_sizes, predict
from grader.baseline.suite import warm_cache

# Tolerance of "NumPy agrees with Keras" (np.isclose: |a - b| <= ATOL + RTOL*|b|),
# for losses, gradients and weights in float64. Measured (TensorFlow 2.21 and
# JAX 0.10 on CPU, keras 3.15) between an independent NumPy MLP and Keras: max
# |diff| 2.2e-16 on the per-epoch loss, 6e-15 on the weights after 20-300
# epochs of fit, 5.6e-17 on gradients, 0 on activations and on derivatives up
# to 2.2e-16. Implementations that order their float operations differently
# (einsum vs @, sum/N vs mean) differ by the same amounts. ATOL = 1e-12 and
# RTOL = 1e-9 leave three orders of magnitude above that round-off, and sit
# far below any real mistake (a missing sigma', a sum instead of a mean, a
# missing 1/(1-rate): differences of 1e-3 and more from the first step).
BASELINE_RTOL = 1e-9
BASELINE_ATOL = 1e-12

__all__ = [
    "BASELINE_ATOL", "BASELINE_RTOL", "BaselineError", "DeviceInfo", "DeviceUnavailableError",
    "activations", "cached", "default_cache_dir", "dropout", "fit_sgd", "gradients",
    "layer_sizes", "predict", "select_device", "warm_cache",
]
