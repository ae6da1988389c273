"""Keras's recurrent cells on plain data, and the fixed inputs of the rnn Keras checks.

Each function builds the named Keras object in float64, gives it the weights
passed in (Keras's layout: kernel, recurrent_kernel, bias) and returns NumPy:

- ``simple_rnn_cell``: ``keras.layers.SimpleRNNCell``;
- ``simple_rnn``: ``keras.layers.SimpleRNN(H, return_sequences=True)`` from an
  initial state, and its gradients by automatic differentiation of
  ``sum(Hs * dHs)`` with respect to ``X, h0, Wx, Wh, b`` (what ``rnn_backward``
  returns for that upstream gradient);
- ``lstm_cell``: ``keras.layers.LSTMCell`` (gates ``[i, f, c~, o]``);
- ``gru_cell``: the course's GRU with ``keras.layers.GRUCell(reset_after=False)``.
  Keras computes ``h = z h_prev + (1 - z) h~``; the course ``h = (1 - z) h_prev
  + z h~``. Since ``1 - sigmoid(a) = sigmoid(-a)``, negating the ``z`` blocks of
  ``W``, ``U`` and ``b`` before handing them to Keras gives the course's cell.

``keras_results()`` runs them once on ``inputs()`` through the baseline's disk
cache, in a child process when something is missing (TensorFlow never enters
the process that runs the checks; see grader.baseline.suite). On JAX the cells
get ``jax.numpy.tanh`` as their activation: Keras 3.15's ``keras.activations.tanh``
computes float64 in float32 there, far from the checks' tolerance.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from grader.baseline.backend import keras_module, select_device
from grader.baseline.cache import cached, lookup
from grader.baseline.suite import (SKIP_KEY, BaselineFailed, KerasUnavailable, _directory,
                                   compute_in_child, require_keras)

DEVICE = "cpu"
EXERCISE = "rnn"


def _f64(*arrays):
    return [np.asarray(a, dtype=np.float64) for a in arrays]


def _numpy(keras, tensor) -> np.ndarray:
    return np.asarray(keras.ops.convert_to_numpy(tensor), dtype=np.float64)


def _tanh(keras):
    """Keras's tanh, except on JAX: keras.ops.tanh computes float64 in float32 there
    (keras 3.15; see grader.baseline.model.activations), jax.numpy.tanh does not."""
    if keras.backend.backend() == "jax":
        import jax

        return jax.numpy.tanh
    return "tanh"


def _cell(keras, kind: str, units: int, input_dim: int, weights):
    cells = {"simple": keras.layers.SimpleRNNCell,
             "lstm": keras.layers.LSTMCell,
             "gru": lambda units, **kw: keras.layers.GRUCell(units, reset_after=False, **kw)}
    cell = cells[kind](units, activation=_tanh(keras), dtype="float64")
    cell.build((None, input_dim))
    cell.set_weights(weights)
    return cell


def simple_rnn_cell(x, h_prev, Wx, Wh, b, *, device: str = DEVICE) -> np.ndarray:
    """``keras.layers.SimpleRNNCell`` with kernel ``Wx`` (D, H), recurrent ``Wh`` (H, H), bias ``b`` (H,).

    Returns: h (N, H) float64.
    """
    x, h_prev, Wx, Wh, b = _f64(x, h_prev, Wx, Wh, b)
    info = select_device(device)
    keras = keras_module()
    with keras.device(info.device_name):
        cell = _cell(keras, "simple", Wh.shape[0], x.shape[1], [Wx, Wh, b])
        h, _ = cell(x, [h_prev])
        return _numpy(keras, h)


def lstm_cell(x, h_prev, c_prev, W, U, b, *, device: str = DEVICE) -> tuple[np.ndarray, np.ndarray]:
    """``keras.layers.LSTMCell`` with kernel ``W`` (D, 4H), recurrent ``U`` (H, 4H), bias ``b`` (4H,).

    Returns: (h, c), each (N, H) float64.
    """
    x, h_prev, c_prev, W, U, b = _f64(x, h_prev, c_prev, W, U, b)
    info = select_device(device)
    keras = keras_module()
    with keras.device(info.device_name):
        cell = _cell(keras, "lstm", U.shape[0], x.shape[1], [W, U, b])
        h, (h_state, c) = cell(x, [h_prev, c_prev])
        return _numpy(keras, h), _numpy(keras, c)


def negate_update_gate(W, U, b):
    """The course GRU's weights ``[z, r, h~]`` with the ``z`` blocks negated (Keras's convention)."""
    W, U, b = (a.copy() for a in _f64(W, U, b))
    H = U.shape[0]
    W[:, :H], U[:, :H], b[:H] = -W[:, :H], -U[:, :H], -b[:H]
    return W, U, b


def gru_cell(x, h_prev, W, U, b, *, device: str = DEVICE) -> np.ndarray:
    """The course's GRU step (reset before the product) by ``GRUCell(reset_after=False)``.

    ``W`` (D, 3H), ``U`` (H, 3H), ``b`` (3H,) in the course's convention, blocks
    ``[z, r, h~]``; the ``z`` blocks are negated for Keras (module docstring).

    Returns: h (N, H) float64.
    """
    x, h_prev = _f64(x, h_prev)
    W, U, b = negate_update_gate(W, U, b)
    info = select_device(device)
    keras = keras_module()
    with keras.device(info.device_name):
        cell = _cell(keras, "gru", U.shape[0], x.shape[1], [W, U, b])
        h, _ = cell(x, [h_prev])
        return _numpy(keras, h)


def simple_rnn(X, h0, Wx, Wh, b, dHs=None, *, device: str = DEVICE) -> dict:
    """``keras.layers.SimpleRNN(H, return_sequences=True)`` on ``X`` from ``h0``, and its gradients.

    Inputs:
    - X: (N, T, D); h0: (N, H); Wx: (D, H); Wh: (H, H); b: (H,)
    - dHs: (N, T, H) upstream gradient, or None for the forward pass only

    Returns: dict of float64 arrays
    - ``"Hs"``: (N, T, H) every hidden state
    - with ``dHs``: ``"dX"``, ``"dh0"``, ``"dWx"``, ``"dWh"``, ``"db"``, the
      gradients of ``sum(Hs * dHs)`` by automatic differentiation
    """
    X, h0, Wx, Wh, b = _f64(X, h0, Wx, Wh, b)
    info = select_device(device)
    keras = keras_module()
    with keras.device(info.device_name):
        layer = keras.layers.SimpleRNN(Wh.shape[0], return_sequences=True,
                                       activation=_tanh(keras), dtype="float64")
        layer.build(X.shape)
        frozen = [v.value for v in layer.non_trainable_variables]   # the dropout seed state

        def run(X, h0, Wx, Wh, b):
            Hs, _ = layer.stateless_call([Wx, Wh, b], frozen, X, initial_state=[h0])
            return Hs

        out = {"Hs": _numpy(keras, run(X, h0, Wx, Wh, b))}
        if dHs is None:
            return out
        dHs = np.asarray(dHs, dtype=np.float64)
        names = ("dX", "dh0", "dWx", "dWh", "db")
        if keras.backend.backend() == "tensorflow":
            import tensorflow as tf

            args = [tf.constant(a) for a in (X, h0, Wx, Wh, b)]
            with tf.GradientTape() as tape:
                for a in args:
                    tape.watch(a)
                value = tf.reduce_sum(run(*args) * dHs)
            grads = tape.gradient(value, args)
        else:
            import jax

            grads = jax.grad(lambda *a: keras.ops.sum(run(*a) * dHs),
                             argnums=(0, 1, 2, 3, 4))(X, h0, Wx, Wh, b)
        out.update({name: _numpy(keras, g) for name, g in zip(names, grads)})
        return out


# -- the fixed inputs of the Keras checks (NumPy only) -----------------------------------------
def inputs() -> dict:
    """The Keras checks' inputs: N = 3 sequences of T = 5 steps, D = 4 inputs, H = 3 units.

    Weights of scale ~0.6 and non-zero biases keep every gate and tanh away
    from saturation, so each mistake changes the values well above round-off.
    """
    rng = np.random.default_rng(20263)
    N, T, D, H = 3, 5, 4, 3
    return {
        "X": rng.normal(size=(N, T, D)), "h0": rng.normal(scale=0.5, size=(N, H)),
        "Wx": rng.normal(scale=0.6, size=(D, H)), "Wh": rng.normal(scale=0.6, size=(H, H)),
        "b": rng.normal(scale=0.3, size=H), "dHs": rng.normal(size=(N, T, H)),
        "c0": rng.normal(scale=0.5, size=(N, H)),
        "W4": rng.normal(scale=0.6, size=(D, 4 * H)), "U4": rng.normal(scale=0.6, size=(H, 4 * H)),
        "b4": rng.normal(scale=0.3, size=4 * H),
        "W3": rng.normal(scale=0.6, size=(D, 3 * H)), "U3": rng.normal(scale=0.6, size=(H, 3 * H)),
        "b3": rng.normal(scale=0.3, size=3 * H),
    }


def _results(run, case) -> dict:
    x = case["X"][:, 0]
    return {
        "cell": run(simple_rnn_cell, x, case["h0"], case["Wx"], case["Wh"], case["b"],
                    device=DEVICE),
        "sequence": run(simple_rnn, case["X"], case["h0"], case["Wx"], case["Wh"], case["b"],
                        case["dHs"], device=DEVICE),
        "lstm": run(lstm_cell, x, case["h0"], case["c0"], case["W4"], case["U4"], case["b4"],
                    device=DEVICE),
        "gru": run(gru_cell, x, case["h0"], case["W3"], case["U3"], case["b3"], device=DEVICE),
    }


class _Missing(Exception):
    pass


def _cached_results(directory: Path) -> dict | None:
    def run(fn, *args, **kwargs):
        hit = lookup(fn, *args, cache_dir=directory, **kwargs)
        if hit is None:
            raise _Missing(fn.__name__)
        return hit
    try:
        return _results(run, inputs())
    except _Missing:
        return None


def warm_cache(exercises=("rnn",), *, cache_dir: str | Path | None = None,
               in_subprocess: bool = True) -> None:
    """Compute every Keras result of the rnn checks into the cache (a child process by default).

    ``exercises`` is accepted for the common warm-up interface (only rnn lives here).
    Raises KerasUnavailable when something is missing and Keras cannot be imported,
    BaselineFailed when the child process fails.
    """
    directory = _directory(cache_dir)
    if _cached_results(directory) is not None:
        return
    require_keras()
    if not in_subprocess:
        _results(lambda fn, *a, **kw: cached(fn, *a, cache_dir=directory, **kw), inputs())
        return
    compute_in_child("grader.baseline.rnn", directory, ["rnn"])


def keras_results(*, cache_dir: str | Path | None = None) -> dict:
    """Keras's results on ``inputs()``: ``{"cell", "sequence", "lstm", "gru"}``, from the cache.

    A miss computes them all in a child process (``warm_cache``) first.
    """
    directory = _directory(cache_dir)
    found = _cached_results(directory)
    if found is None:
        warm_cache(cache_dir=directory)
        found = _cached_results(directory)
        if found is None:
            raise BaselineFailed(f"the Keras results of rnn are not in {directory}")
    return found


def keras_results_or_skip() -> dict:
    """``keras_results()``, or ``pytest.skip(SKIP_KEY)`` when Keras is unavailable."""
    try:
        return keras_results()
    except KerasUnavailable:
        import pytest

        pytest.skip(SKIP_KEY)


__all__ = ["gru_cell", "inputs", "keras_results", "keras_results_or_skip", "lstm_cell",
           "negate_update_gate", "simple_rnn", "simple_rnn_cell", "warm_cache"]
