"""Probe replies of the wrong types: the judge's check code then raises, not a check failure."""
import sys


def build_mlp(n_inputs, hidden, n_outputs=1, dropout_rate=0.0):
    return None


def compile_and_fit(model, X, Y, X_val, Y_val, lr, batch_size, epochs, patience, seed=0):
    return None


_probe = sys.modules.get("keras_probe")
if _probe is None:
    import keras_probe as _probe
_probe._describe = lambda model: {"is_model": True, "type": "Sequential", "layers": 5,
                                  "input_shape": [None, 2], "compiled": False}
_probe.fit_mlp = lambda *a, **k: {"returned": "History", "compile": "x", "fit": [],
                                  "callbacks": 7, "history": {"val_loss": [1.0]},
                                  "val_accuracy": "high", "model": 3}
