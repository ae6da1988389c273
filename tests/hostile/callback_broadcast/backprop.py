# Appended to the reference backprop.py: a deliberate mistake, so that the workers of the
# exercises that depend on backprop (sgd) get the reference's backprop through callbacks.
def output_delta(A_L, Y):
    return A_L
