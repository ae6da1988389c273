"""Hidden checks of activations.py: seeded random inputs, compared with the reference."""


from grader.checks.expect import expect_array
from grader.mutants import variants

FUNCS = ("sigmoid", "sigmoid_derivative", "tanh_derivative", "relu", "relu_derivative")


def _random_z(rng):
    shape = (int(rng.integers(2, 6)), int(rng.integers(1, 5)))
    z = rng.normal(0.0, 4.0, size=shape)
    z.flat[0] = 0.0  # the kink of ReLU
    return z


def _compare(student, reference, rng, func):
    z = _random_z(rng)
    expected = getattr(reference.activations, func)(z)
    got = getattr(student.activations, func)(z)
    expect_array(got, expected, call=f"{func}(z)  [z.shape = {z.shape}]",
                 mistakes=variants(reference, "activations", func, z))


def test_sigmoid_and_derivative_on_seeded_inputs(student, reference, rng):
    _compare(student, reference, rng, "sigmoid")
    _compare(student, reference, rng, "sigmoid_derivative")


def test_tanh_and_relu_derivatives_on_seeded_inputs(student, reference, rng):
    for func in ("tanh_derivative", "relu", "relu_derivative"):
        _compare(student, reference, rng, func)


def test_sigmoid_derivative_on_large_seeded_inputs(student, reference, rng):
    z = rng.normal(0.0, 300.0, size=(50,))
    expected = reference.activations.sigmoid_derivative(z)
    got = student.activations.sigmoid_derivative(z)
    expect_array(got, expected, call="sigmoid_derivative(z)  [|z| ≤ ~1000]",
                 mistakes=variants(reference, "activations", "sigmoid_derivative", z))


# ---- the conventions of the contract, for every function (grader/checks/contract.py) ----
def _contract(student, reference, rng, func, **kwargs):
    from grader.checks.contract import check_function
    from grader.checks.contract_a1 import spec

    check_function(student, reference, rng, spec('activations', func),
                   mistakes=lambda args: variants(reference, 'activations', func, *args), **kwargs)


def test_contract_sigmoid(student, reference, rng):
    _contract(student, reference, rng, "sigmoid")


def test_contract_sigmoid_derivative(student, reference, rng):
    _contract(student, reference, rng, "sigmoid_derivative")


def test_contract_tanh_derivative(student, reference, rng):
    _contract(student, reference, rng, "tanh_derivative")


def test_contract_relu(student, reference, rng):
    _contract(student, reference, rng, "relu")


def test_contract_relu_derivative(student, reference, rng):
    _contract(student, reference, rng, "relu_derivative")
