"""Structured, language-neutral feedback; rendered in Spanish or English on demand."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from grader.i18n import t


def show(value, limit: int = 300) -> str:
    """A short, readable text for a value (arrays abbreviated)."""
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=6, threshold=24, edgeitems=3,
                               suppress_small=False, max_line_width=100)
        if value.ndim:
            text += f"  (shape={value.shape}, dtype={value.dtype})"
    elif isinstance(value, (list, tuple)) and value and all(isinstance(v, np.ndarray) for v in value):
        text = "[" + ", ".join(f"array shape={v.shape}" for v in value) + "]"
    elif isinstance(value, np.generic):
        text = repr(value.item())
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# What one check may say, whatever its values hold (a student's process can send 4 MiB of
# text): each parameter at most PARAM_CHARS characters, all of them together at most
# PARAMS_CHARS, the verbatim details (a traceback: its end is kept) at most DETAILS_CHARS.
# A text that was cut ends (details: begins) with CUT.
PARAM_CHARS = 1000
PARAMS_CHARS = 4000
DETAILS_CHARS = 4000
MIN_PARAM_CHARS = 80
CUT = " […]"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(CUT)] + CUT


def bounded_params(params: dict) -> dict:
    """``params`` with every long value cut (see PARAM_CHARS); cutting twice changes nothing."""
    out, budget = {}, PARAMS_CHARS
    for key, value in params.items():
        if not (value is None or isinstance(value, (bool, int, float, np.number))):
            text = value if isinstance(value, str) else str(value)
            limit = max(MIN_PARAM_CHARS, min(PARAM_CHARS, budget))
            if len(text) > limit:
                value = _cut(text, limit)
            budget -= min(len(text), limit)
        out[key] = value
    return out


@dataclass
class Feedback:
    """Why a check failed: a message key, its parameters, and the named mistake if known.

    ``params`` hold language-neutral values (numbers, code, arrays already
    turned to text); ``details`` is text shown verbatim (a student traceback).
    ``symptom`` (``{"id": ..., "params": {...}}``, see grader.checks.symptoms) says
    how the values are wrong when no named mistake matches them.
    """

    key: str
    params: dict = field(default_factory=dict)
    mistake: str | None = None
    details: str | None = None
    symptom: dict | None = None

    def __post_init__(self):
        self.params = bounded_params(dict(self.params or {}))
        if isinstance(self.details, str) and len(self.details) > DETAILS_CHARS:
            self.details = CUT.strip() + "\n" + self.details[-(DETAILS_CHARS - len(CUT)):]
        if isinstance(self.symptom, dict) and isinstance(self.symptom.get("params"), dict):
            self.symptom = dict(self.symptom, params=bounded_params(self.symptom["params"]))

    def render(self, lang: str) -> str:
        lines = [t(self.key, lang, **self.params)]
        if self.mistake:
            lines.append(t("feedback.likely_mistake", lang,
                           mistake=t(f"mistake.{self.mistake}", lang)))
        elif self.symptom:
            lines.append(t(f"symptom.{self.symptom['id']}", lang,
                           **(self.symptom.get("params") or {})))
        if self.details:
            lines.append(self.details.rstrip())
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"key": self.key, "params": self.params, "mistake": self.mistake,
                "details": self.details, "symptom": self.symptom}


VIOLATION_KINDS = ("read_reference", "forbidden_import", "forbidden_operation")


def violation_in_words(params: dict) -> tuple[str, dict]:
    """(catalog key, params) of a sandbox violation, from the kinds the worker recorded or
    its English message: what the code tried, in words (batch.toml ``batch.violation.*``)."""
    message = str(params.get("message") or "")
    kinds = [k for k in VIOLATION_KINDS if k in message]
    if kinds or "sandbox does not allow" in message:
        return f"batch.violation.{kinds[0] if kinds else 'forbidden_operation'}", {
            "call": params.get("call", "?")}
    return "feedback.violation", params
