# Appended to the reference perceptron.py: predict grabs far more memory than allowed.
# bytes(n) asks for zero pages without writing them, so the limit is met at once however
# loaded the machine is (a bytearray would be written page by page first, and a slow
# machine could turn the memory error into a timeout).
_hoard = []


def predict(X, w, b):
    while True:
        _hoard.append(bytes(256 * 1024 * 1024))
