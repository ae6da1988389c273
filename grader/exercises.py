"""The five exercises: their modules, the functions students write, dependencies."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Exercise:
    """One exercise = one module students fill in (``<name>.py``)."""

    name: str
    functions: tuple[str, ...]          # what the student implements
    given: tuple[str, ...] = ()         # scaffold provided in the stub
    depends_on: tuple[str, ...] = ()    # other exercise modules it imports

    @property
    def filename(self) -> str:
        return f"{self.name}.py"

    @property
    def substitutable(self) -> tuple[str, ...]:
        """Functions a dependent exercise may get from the reference instead.

        Functions that draw random numbers are left out: a callback cannot
        advance the student's generator.
        """
        return tuple(f for f in self.functions + self.given if f not in _RANDOM_FUNCTIONS)


_RANDOM_FUNCTIONS = frozenset({"dropout_mask", "dropout_forward", "minibatches", "train"})


EXERCISES: dict[str, Exercise] = {
    ex.name: ex
    for ex in (
        Exercise("activations", ("sigmoid", "sigmoid_derivative", "tanh_derivative", "relu",
                                 "relu_derivative")),
        Exercise("perceptron", ("predict", "update", "train")),
        Exercise("backprop", ("output_delta", "hidden_delta", "layer_gradients", "backward"),
                 given=("forward", "binary_cross_entropy"), depends_on=("activations",)),
        Exercise("dropout", ("dropout_mask", "dropout_forward", "dropout_backward")),
        Exercise("sgd", ("minibatches", "sgd_step", "train"),
                 depends_on=("backprop", "dropout", "activations")),
    )
}

ORDER = tuple(EXERCISES)


def closure(name: str) -> tuple[str, ...]:
    """The exercise and every exercise it depends on, dependencies first."""
    seen: list[str] = []

    def visit(n):
        for dep in EXERCISES[n].depends_on:
            visit(dep)
        if n not in seen:
            seen.append(n)

    visit(name)
    return tuple(seen)


def resolve(names) -> tuple[str, ...]:
    """Validate exercise names given by a user; all exercises when empty."""
    if not names:
        return ORDER
    unknown = [n for n in names if n not in EXERCISES]
    if unknown:
        raise KeyError(", ".join(unknown))
    return tuple(n for n in ORDER if n in names)
