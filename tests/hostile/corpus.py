"""The hostile corpus: build each case's student folder (the reference solutions with the
case's code appended to one or more modules), and read its expectations.

Each folder of tests/hostile/ is one case: ``<exercise>.py`` files are appended to the
reference module of that name (so everything else is correct), ``expect.toml`` says
what grading must give. Placeholders in the code ({SOLUTIONS_DIR}, {PORT}, ...) are
filled in by :func:`build_case`.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from grader import config
from grader.exercises import EXERCISES

HERE = Path(__file__).resolve().parent
MODULES = tuple(ex.filename for ex in EXERCISES.values())


def case_names() -> list[str]:
    return sorted(p.name for p in HERE.iterdir() if (p / "expect.toml").is_file())


def expectation(name: str) -> dict:
    with (HERE / name / "expect.toml").open("rb") as fh:
        return tomllib.load(fh)


def golden_relu_table() -> str:
    golden = json.loads((config.CHECKS_DIR / "activations" / "golden.json")
                        .read_text(encoding="utf-8"))["relu"]

    def plain(node):
        return node["array"] if isinstance(node, dict) and "array" in node else node

    pairs = [(plain(golden["z"]), plain(golden["expected"])),
             (plain(golden["z_matrix"]), plain(golden["expected_matrix"]))]
    return repr(pairs)


def build_case(name: str, target: Path, values: dict) -> Path:
    """``target``/<name>/: the reference modules with the case's code appended."""
    folder = target / name
    folder.mkdir(parents=True)
    for module in MODULES:
        source = (config.SOLUTIONS_DIR / module).read_text(encoding="utf-8")
        extra = HERE / name / module
        if extra.is_file():
            code = extra.read_text(encoding="utf-8")
            for key, value in values.items():
                code = code.replace("{" + key + "}", str(value))
            source += "\n\n# ---- hostile code of the case " + name + " ----\n" + code
        (folder / module).write_text(source, encoding="utf-8")
    return folder
