"""exercises/ is generated from solutions/ and the two can never drift."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
import pytest

from grader.devtools import stubs
from grader.devtools.stubs import BEGIN_MARKER, END_MARKER, MarkerError

REPO_ROOT = Path(__file__).resolve().parents[3]
SOLUTIONS_DIR = REPO_ROOT / "solutions"
EXERCISES_DIR = REPO_ROOT / "exercises"
MODULES = sorted(p.stem for p in SOLUTIONS_DIR.glob("*.py"))

RTOL = 1e-12  # given code compared with itself: only round-off may differ

# One valid call per student function. A new exercise function must be added
# here, so that "every marked function raises NotImplementedError" stays true.
_X = np.array([[0.0, 1.0], [1.0, 0.0]])
_Y = np.array([[1.0], [0.0]])
_PARAMS = [(np.ones((2, 3)), np.zeros(3)), (np.ones((3, 1)), np.zeros(1))]
_CACHE = [(_X, np.zeros((2, 3)), None), (np.full((2, 3), 0.5), np.zeros((2, 1)), None)]


class _RecordingModel:
    """Stands in for a Keras model in compile_and_fit's sample call: records, trains nothing."""

    outputs = [np.zeros((1, 1))]

    def compile(self, **kwargs):
        self.compiled = kwargs

    def fit(self, *args, **kwargs):
        return {"fit": kwargs}


SAMPLE_CALLS = {
    ("activations", "sigmoid"): (np.zeros(3),),
    ("activations", "sigmoid_derivative"): (np.zeros(3),),
    ("activations", "tanh_derivative"): (np.zeros(3),),
    ("activations", "relu"): (np.zeros(3),),
    ("activations", "relu_derivative"): (np.zeros(3),),
    ("perceptron", "predict"): (_X, np.ones(2), 0.0),
    ("perceptron", "update"): (np.zeros(2), 0.0, np.ones(2), 1, 1.0),
    ("perceptron", "train"): (_X, np.array([1, 0])),
    ("backprop", "output_delta"): (np.full((2, 1), 0.5), _Y),
    ("backprop", "hidden_delta"): (np.ones((2, 1)), np.ones((3, 1)), np.zeros((2, 3))),
    ("backprop", "layer_gradients"): (np.ones((2, 1)), np.ones((2, 3))),
    ("backprop", "backward"): (_PARAMS, _CACHE, _Y),
    ("sgd", "minibatches"): (_X, _Y, 1),
    ("sgd", "sgd_step"): (_PARAMS, _PARAMS, 0.1),
    ("sgd", "train"): (_X, _Y, _PARAMS, 0.1, 1, 1),
    ("dropout", "dropout_mask"): ((2, 3), 0.5, np.random.default_rng(0)),
    ("dropout", "dropout_forward"): (np.ones((2, 3)), 0.5, np.random.default_rng(0)),
    ("dropout", "dropout_backward"): (np.ones((2, 3)), np.ones((2, 3))),
    ("more_activations", "leaky_relu"): (np.zeros(3),),
    ("more_activations", "leaky_relu_derivative"): (np.zeros(3),),
    ("more_activations", "swish"): (np.zeros(3),),
    ("more_activations", "swish_derivative"): (np.zeros(3),),
    ("losses", "mse"): (_Y, _Y),
    ("losses", "mse_gradient"): (_Y, _Y),
    ("losses", "softmax"): (_X,),
    ("losses", "one_hot"): (np.array([1, 0]), 2),
    ("losses", "categorical_cross_entropy"): (np.full((2, 2), 0.5), _X),
    ("losses", "softmax_cross_entropy_gradient"): (_X, _X),
    ("optimizers", "momentum_step"): (np.ones(2), np.ones(2), np.zeros(2), 0.1),
    ("optimizers", "rmsprop_step"): (np.ones(2), np.ones(2), np.zeros(2), 0.1),
    ("optimizers", "adam_step"): (np.ones(2), np.ones(2), np.zeros(2), np.zeros(2), 1, 0.1),
    ("optimizers", "train"): (_X, _Y, _PARAMS, "adam", 0.1, 1, 1),
    ("early_stopping", "early_stopping"): ([1.0, 0.5], 1),
    ("early_stopping", "train_with_early_stopping"): (_X, _Y, _X, _Y, _PARAMS, 0.1, 1, 2, 1),
    ("data", "train_val_test_split"): (np.ones((10, 2)), np.ones((10, 1))),
    ("data", "standardize"): (_X, _X),
    ("rnn", "rnn_cell_forward"): (_X, np.zeros((2, 3)), np.ones((2, 3)), np.eye(3), np.zeros(3)),
    ("rnn", "rnn_forward"): (np.ones((2, 4, 2)), np.zeros((2, 3)), np.ones((2, 3)), np.eye(3),
                             np.zeros(3)),
    ("rnn", "rnn_backward"): (np.ones((1, 1, 1)),
                              (np.ones((1, 1, 1)), np.zeros((1, 1)), np.ones((1, 1)),
                               np.ones((1, 1)), np.full((1, 1, 1), 0.5))),
    ("rnn", "lstm_cell_forward"): (_X, np.zeros((2, 3)), np.zeros((2, 3)), np.ones((2, 12)),
                                   np.ones((3, 12)), np.zeros(12)),
    ("rnn", "gru_cell_forward"): (_X, np.zeros((2, 3)), np.ones((2, 9)), np.ones((3, 9)),
                                  np.zeros(9)),
    ("keras_lab", "build_mlp"): (2, [3]),
    ("keras_lab", "compile_and_fit"): (_RecordingModel(), _X, _Y, _X, _Y, 0.01, 2, 1, 1),
}


def _outside_markers(source: str) -> list[str]:
    """The lines of ``source`` with each marked block's content removed (the
    marker lines kept). Written independently of the generator on purpose."""
    pattern = re.compile(
        r"^([ \t]*)" + re.escape(BEGIN_MARKER) + r"\n.*?^\1" + re.escape(END_MARKER) + r"$",
        re.MULTILINE | re.DOTALL,
    )
    return pattern.sub(lambda m: f"{m.group(1)}{BEGIN_MARKER}\n{m.group(1)}{END_MARKER}", source).splitlines()


def _marked_functions(source: str) -> list[str]:
    """Names of the functions whose body contains a begin marker."""
    marker_lines = {i + 1 for i, line in enumerate(source.splitlines()) if line.strip() == BEGIN_MARKER}
    return [
        node.name for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef)
        and any(node.lineno < n <= node.end_lineno for n in marker_lines)
    ]


@pytest.fixture(scope="module")
def exercises(load_modules):
    return load_modules(EXERCISES_DIR, tuple(MODULES))


@pytest.fixture(scope="module")
def reference(load_modules):
    return load_modules(SOLUTIONS_DIR, tuple(MODULES))


# --- exercises/ in the repository ------------------------------------------

def test_exercises_are_exactly_what_the_generator_produces():
    assert stubs.check_stubs(SOLUTIONS_DIR, EXERCISES_DIR) == [], (
        "exercises/ is out of date or was edited by hand: run `python -m grader.devtools.stubs`"
    )


def test_exercises_and_solutions_hold_the_same_modules_and_no_package_init():
    assert sorted(p.stem for p in EXERCISES_DIR.glob("*.py")) == MODULES
    assert not (SOLUTIONS_DIR / "__init__.py").exists()
    assert not (EXERCISES_DIR / "__init__.py").exists()


@pytest.mark.parametrize("module", MODULES)
def test_every_stub_equals_its_solution_outside_the_markers(module):
    solution = (SOLUTIONS_DIR / f"{module}.py").read_text(encoding="utf-8")
    stub = (EXERCISES_DIR / f"{module}.py").read_text(encoding="utf-8")
    assert _outside_markers(stub) == _outside_markers(solution)


@pytest.mark.parametrize("module", MODULES)
def test_every_stub_block_is_a_single_not_implemented_error_naming_its_function(module):
    lines = (EXERCISES_DIR / f"{module}.py").read_text(encoding="utf-8").splitlines()
    begins = [i for i, line in enumerate(lines) if line.strip() == BEGIN_MARKER]
    assert begins, f"{module}.py has no exercise"
    for i in begins:
        assert lines[i + 2].strip() == END_MARKER
        assert lines[i + 1].startswith(lines[i][: len(lines[i]) - len(lines[i].lstrip())] + "raise NotImplementedError(")


def test_sample_calls_cover_exactly_the_marked_functions():
    marked = {
        (module, name) for module in MODULES
        for name in _marked_functions((SOLUTIONS_DIR / f"{module}.py").read_text(encoding="utf-8"))
    }
    assert marked == set(SAMPLE_CALLS)


@pytest.mark.parametrize(("module", "function"), sorted(SAMPLE_CALLS))
def test_every_marked_function_in_exercises_raises_not_implemented_error(exercises, module, function):
    with pytest.raises(NotImplementedError, match=function):
        getattr(getattr(exercises, module), function)(*SAMPLE_CALLS[module, function])


@pytest.mark.parametrize(("module", "function"), sorted(SAMPLE_CALLS))
def test_every_marked_function_in_solutions_accepts_its_sample_call(reference, module, function):
    result = getattr(getattr(reference, module), function)(*SAMPLE_CALLS[module, function])
    assert result is not None


def test_given_binary_cross_entropy_works_in_exercises(exercises, reference):
    A_L = np.array([[0.9], [0.2], [0.0]])
    Y = np.array([[1.0], [0.0], [1.0]])
    np.testing.assert_allclose(
        exercises.backprop.binary_cross_entropy(A_L, Y),
        reference.backprop.binary_cross_entropy(A_L, Y), rtol=RTOL,
    )


def test_given_forward_works_in_exercises_once_sigmoid_is_implemented(exercises, reference, monkeypatch):
    with pytest.raises(NotImplementedError, match="sigmoid"):
        exercises.backprop.forward(_X, _PARAMS)
    monkeypatch.setattr(exercises.backprop, "sigmoid", reference.activations.sigmoid)
    got, _ = exercises.backprop.forward(_X, _PARAMS)
    want, _ = reference.backprop.forward(_X, _PARAMS)
    np.testing.assert_allclose(got, want, rtol=RTOL)


# --- the generator on synthetic sources -------------------------------------

def _source(*body: str) -> str:
    return "\n".join(["import numpy as np", "", "", "def f(x):", '    """Doc."""', *body, ""])


GOOD = _source("    x = np.asarray(x)", f"    {BEGIN_MARKER}", "    y = x + 1", "    return y", f"    {END_MARKER}")


def test_generator_keeps_markers_and_indentation_and_names_the_function():
    stub = stubs.make_stub_source(GOOD)
    assert stub == _source(
        "    x = np.asarray(x)", f"    {BEGIN_MARKER}",
        '    raise NotImplementedError("Ejercicio pendiente: implementa f() / Exercise not done yet: implement f()")',
        f"    {END_MARKER}",
    )
    namespace = {}
    exec(compile(stub, "<stub>", "exec"), namespace)
    with pytest.raises(NotImplementedError, match="implement f"):
        namespace["f"](1.0)


@pytest.mark.parametrize("body", [
    pytest.param(("    " + BEGIN_MARKER, "    return x"), id="begin-never-closed"),
    pytest.param(("    return x", "    " + END_MARKER), id="end-without-begin"),
    pytest.param(("    " + BEGIN_MARKER, "    " + BEGIN_MARKER, "    return x", "    " + END_MARKER), id="nested-begin"),
    pytest.param(("    " + BEGIN_MARKER, "    return x", "        " + END_MARKER), id="end-indented-differently"),
    pytest.param(("    # >>> TU CODIGO AQUI / YOUR CODE HERE >>>", "    return x", "    " + END_MARKER), id="misspelt-begin"),
    pytest.param(("    " + BEGIN_MARKER, "    y = x", "    " + END_MARKER,
                  "    " + BEGIN_MARKER, "    return y", "    " + END_MARKER), id="two-blocks-in-one-function"),
    pytest.param(("    " + BEGIN_MARKER, "    return x", "", "", "def g(x):", "    return x", "    " + END_MARKER),
                 id="block-spanning-two-functions"),
    pytest.param(("    return x",), id="no-marker-at-all"),
])
def test_generator_refuses_malformed_markers(body):
    with pytest.raises(MarkerError):
        stubs.make_stub_source(_source(*body))


def test_generator_refuses_a_block_outside_any_function():
    source = f"{BEGIN_MARKER}\nX = 1\n{END_MARKER}\n"
    with pytest.raises(MarkerError, match="not inside one function"):
        stubs.make_stub_source(source)


def test_write_then_check_round_trip_reports_hand_edits_and_missing_files(tmp_path):
    src, dst = tmp_path / "solutions", tmp_path / "exercises"
    src.mkdir()
    (src / "a.py").write_text(GOOD, encoding="utf-8")
    (src / "b.py").write_text(GOOD.replace("def f", "def g"), encoding="utf-8")
    assert stubs.write_stubs(src, dst) == ["a.py", "b.py"]
    assert stubs.check_stubs(src, dst) == []
    assert stubs.write_stubs(src, dst) == []  # nothing rewritten when up to date
    (dst / "a.py").write_text(GOOD, encoding="utf-8")  # someone pasted the solution
    (dst / "b.py").unlink()
    assert stubs.check_stubs(src, dst) == ["a.py", "b.py"]
    assert stubs.main(["--check", "--src", str(src), "--dst", str(dst)]) == 1
    assert stubs.main(["--src", str(src), "--dst", str(dst)]) == 0
    assert stubs.main(["--check", "--src", str(src), "--dst", str(dst)]) == 0
    assert sorted(p.name for p in dst.iterdir()) == ["a.py", "b.py"]  # no temp files left


def test_write_stubs_writes_nothing_when_one_solution_has_bad_markers(tmp_path):
    src, dst = tmp_path / "solutions", tmp_path / "exercises"
    src.mkdir()
    (src / "a.py").write_text(GOOD, encoding="utf-8")
    (src / "b.py").write_text(_source("    " + BEGIN_MARKER, "    return x"), encoding="utf-8")
    with pytest.raises(MarkerError, match="never closed"):
        stubs.write_stubs(src, dst)
    assert not dst.exists() or not any(dst.iterdir())
    assert stubs.main(["--src", str(src), "--dst", str(dst)]) == 2


def test_the_sgd_train_stub_promises_only_what_the_contract_says_about_the_rng():
    # The contract: "masks need an rng"; it does not say that train raises without one,
    # so the stub a student reads must not promise a ValueError the checks never ask for.
    tree = ast.parse((EXERCISES_DIR / "sgd.py").read_text(encoding="utf-8"))
    train = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "train")
    doc = ast.get_docstring(train)
    assert "ValueError" not in doc
    assert "rng" in doc and "dropout.dropout_mask" in doc
