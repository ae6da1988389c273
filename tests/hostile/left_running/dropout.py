# Appended to the reference dropout.py: turns the worker's own watchdog off, then leaves a
# daemon behind (double fork + setsid, renamed so that the test can look for it), once
# per worker. Where workers cannot fork at all (seccomp), the attempt fails quietly.
import ctypes as _ctypes
import os as _os
import time as _time

_reference_backward = dropout_backward
_left = []


def dropout_backward(dout, mask):
    import __main__
    if not _left:
        _left.append(True)
        __main__.STATE["armed"] = False     # the audit hook is not a security boundary
        try:
            child = _os.fork()
        except OSError:                     # no fork at all (seccomp): nothing can be left
            child = -1
        if child == 0:
            _os.setsid()
            if _os.fork() == 0:
                _ctypes.CDLL(None).prctl(15, b"{PROCNAME}", 0, 0, 0)
                while True:
                    _time.sleep(1)
            _os._exit(0)
        __main__.STATE["armed"] = True
    return _reference_backward(dout, mask)
