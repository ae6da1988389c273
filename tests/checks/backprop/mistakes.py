"""Mistakes in backprop.py.

The helpers' mistakes (output_delta, hidden_delta, layer_gradients) also show
up in ``backward``, which is built from them: :func:`backward_variants` runs
the backward pass with each wrong helper in turn, so that a wrong gradient can
be traced back to the helper that made it.
"""

import numpy as np

from grader.checks.expect import Lazy
from grader.mutants import Mutant, variants

HELPERS = ("output_delta", "hidden_delta", "layer_gradients")


def _f(x):
    return np.asarray(x, dtype=np.float64)


def _masked(delta, mask):
    return delta if mask is None else delta * _f(mask)


# -- output_delta -------------------------------------------------------------------
def _output_delta_sign_flipped(ref):
    return lambda A_L, Y: _f(Y) - _f(A_L)


def _output_delta_extra_sigma_prime(ref):
    def wrong(A_L, Y):
        A_L = _f(A_L)
        return (A_L - _f(Y)) * A_L * (1.0 - A_L)
    return wrong


# -- hidden_delta ---------------------------------------------------------------------
def _hidden_delta_missing_sigma_prime(ref):
    return lambda delta_next, W_next, Z, mask=None: _masked(_f(delta_next) @ _f(W_next).T, mask)


def _hidden_delta_no_transpose(ref):
    def wrong(delta_next, W_next, Z, mask=None):
        return _masked((_f(delta_next) @ _f(W_next)) * ref.activations.sigmoid_derivative(_f(Z)),
                       mask)
    return wrong


def _hidden_delta_sigma_prime_of_activation(ref):
    def wrong(delta_next, W_next, Z, mask=None):
        act = ref.activations
        return _masked((_f(delta_next) @ _f(W_next).T)
                       * act.sigmoid_derivative(act.sigmoid(_f(Z))), mask)
    return wrong


def _hidden_delta_derivative_of_activation(ref):
    def wrong(delta_next, W_next, Z, mask=None):
        Z = _f(Z)
        return _masked((_f(delta_next) @ _f(W_next).T) * Z * (1.0 - Z), mask)
    return wrong


def _hidden_delta_ignores_mask(ref):
    return lambda delta_next, W_next, Z, mask=None: ref.backprop.hidden_delta(delta_next, W_next, Z)


# -- layer_gradients ------------------------------------------------------------------
def _layer_gradients_summed(ref):
    return lambda delta, A_prev: (_f(A_prev).T @ _f(delta), _f(delta).sum(axis=0))


def _layer_gradients_dw_summed(ref):
    return lambda delta, A_prev: (_f(A_prev).T @ _f(delta), _f(delta).mean(axis=0))


def _layer_gradients_db_summed(ref):
    return lambda delta, A_prev: (_f(A_prev).T @ _f(delta) / _f(delta).shape[0],
                                  _f(delta).sum(axis=0))


def _layer_gradients_dw_transposed(ref):
    return lambda delta, A_prev: (_f(delta).T @ _f(A_prev) / _f(delta).shape[0],
                                  _f(delta).mean(axis=0))


def _layer_gradients_db_keepdims(ref):
    return lambda delta, A_prev: (_f(A_prev).T @ _f(delta) / _f(delta).shape[0],
                                  _f(delta).mean(axis=0, keepdims=True))


def _layer_gradients_db_wrong_axis(ref):
    return lambda delta, A_prev: (_f(A_prev).T @ _f(delta) / _f(delta).shape[0],
                                  _f(delta).mean(axis=1))


# -- backward -------------------------------------------------------------------------
def backward_with(ref, *, output_delta=None, hidden_delta=None, layer_gradients=None,
                  output_from_z=False, reverse=False, own_weights=False):
    """The course's backward pass with some pieces swapped for wrong ones."""
    od = output_delta or ref.backprop.output_delta
    hd = hidden_delta or ref.backprop.hidden_delta
    lg = layer_gradients or ref.backprop.layer_gradients

    def backward(params, cache, Y):
        Y = _f(Y)
        n_layers = len(params)
        grads = [None] * n_layers
        A_prev, Z, _ = cache[-1]
        A_L = _f(Z) if output_from_z else ref.activations.sigmoid(_f(Z))
        delta = od(A_L, Y)
        grads[-1] = tuple(lg(delta, A_prev))
        for l in range(n_layers - 2, -1, -1):
            A_prev, Z, mask = cache[l]
            delta = hd(delta, params[l if own_weights else l + 1][0], Z, mask)
            grads[l] = tuple(lg(delta, A_prev))
        return grads[::-1] if reverse else grads
    return backward


MUTANTS = {m.name: m for m in (
    Mutant("output_delta_sign_flipped", "backprop", "output_delta", _output_delta_sign_flipped),
    Mutant("output_delta_extra_sigma_prime", "backprop", "output_delta",
           _output_delta_extra_sigma_prime),
    Mutant("hidden_delta_missing_sigma_prime", "backprop", "hidden_delta",
           _hidden_delta_missing_sigma_prime),
    Mutant("hidden_delta_no_transpose", "backprop", "hidden_delta", _hidden_delta_no_transpose),
    Mutant("hidden_delta_sigma_prime_of_activation", "backprop", "hidden_delta",
           _hidden_delta_sigma_prime_of_activation),
    Mutant("hidden_delta_ignores_mask", "backprop", "hidden_delta", _hidden_delta_ignores_mask),
    Mutant("hidden_delta_derivative_of_activation", "backprop", "hidden_delta",
           _hidden_delta_derivative_of_activation),
    Mutant("layer_gradients_summed", "backprop", "layer_gradients", _layer_gradients_summed),
    Mutant("layer_gradients_dw_summed", "backprop", "layer_gradients", _layer_gradients_dw_summed),
    Mutant("layer_gradients_db_summed", "backprop", "layer_gradients", _layer_gradients_db_summed),
    Mutant("layer_gradients_dw_transposed", "backprop", "layer_gradients",
           _layer_gradients_dw_transposed),
    Mutant("layer_gradients_db_keepdims", "backprop", "layer_gradients",
           _layer_gradients_db_keepdims),
    Mutant("layer_gradients_db_wrong_axis", "backprop", "layer_gradients",
           _layer_gradients_db_wrong_axis),
    Mutant("backward_output_uses_z", "backprop", "backward",
           lambda ref: backward_with(ref, output_from_z=True)),
    Mutant("backward_grads_reversed", "backprop", "backward",
           lambda ref: backward_with(ref, reverse=True)),
    # Usually a shape error inside hidden_delta; the checks tell it from a missing
    # transpose by probing hidden_delta alone.
    Mutant("backward_wrong_layer_weights", "backprop", "backward",
           lambda ref: backward_with(ref, own_weights=True)),
)}


def backward_variants(ref, params, cache, Y) -> Lazy:
    """``{mistake: grads}``: backward's own mistakes and those of the helpers it calls
    (computed when first read)."""
    def compute():
        out = dict(variants(ref, "backprop", "backward", params, cache, Y))
        for m in MUTANTS.values():
            if m.func not in HELPERS:
                continue
            try:
                out[m.name] = backward_with(ref, **{m.func: m.make(ref)})(params, cache, Y)
            except Exception:  # noqa: BLE001 - e.g. a shape error: it names nothing here
                out[m.name] = None
        return out

    return Lazy(compute)
