# Appended to the reference activations.py: sigmoid never returns (it burns CPU).
def sigmoid(z):
    while True:
        pass
