# Appended to the reference activations.py: relu opens a connection (watchdog on).
import socket as _socket

_reference_relu = relu


def relu(z):
    s = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    try:
        s.connect(("192.0.2.1", 80))
    except OSError:
        pass
    return _reference_relu(z)
