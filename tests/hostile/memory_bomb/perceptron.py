# Appended to the reference perceptron.py: predict grabs far more memory than allowed.
_hoard = []


def predict(X, w, b):
    while True:
        _hoard.append(bytearray(256 * 1024 * 1024))
