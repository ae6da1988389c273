# Appended to the reference activations.py: switch the audit hook off and look for the
# reference; fail loudly if it can be seen (it must not exist in the sandbox at all).
import os as _os

_reference_sigmoid = sigmoid


def sigmoid(z):
    import __main__
    __main__.STATE["armed"] = False
    for path in ("{SOLUTIONS_DIR}/activations.py", "{CHECKS_DIR}/activations/hidden.py",
                 "{OUT_DIR}"):
        if _os.path.exists(path):
            raise RuntimeError(f"visible: {path}")
    __main__.STATE["armed"] = True
    return _reference_sigmoid(z)
