# Appended to the reference activations.py: relu switches the watchdog off and tries to
# reach a server the test runs on the grader's machine.
import socket as _socket

_reference_relu = relu


def relu(z):
    import __main__
    __main__.STATE["armed"] = False
    s = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    s.settimeout(2)
    try:
        s.connect(("127.0.0.1", {PORT}))
    except OSError:
        return _reference_relu(z)          # unreachable: the expected outcome
    finally:
        s.close()
    raise RuntimeError("the network was reachable")
