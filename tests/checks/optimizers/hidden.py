"""Hidden checks of optimizers.py: seeded shapes, states, step numbers and
hyperparameters for the step functions, and seeded networks for train (rng=None),
compared with the reference; the named mistakes are recognised on the same inputs."""

import numpy as np

from grader.checks.unit_support import call_clean, sibling_module, sibling_variants

EX = "optimizers"


def _public():
    return sibling_module(__file__, "public")


def _shape(rng):
    return tuple(int(n) for n in rng.integers(1, 5, size=int(rng.integers(1, 3))))


def test_step_functions_on_seeded_shapes_and_hyperparameters(student, reference, rng):
    public = _public()
    for func in ("momentum_step", "rmsprop_step", "adam_step"):
        for _ in range(2):
            shape = _shape(rng)
            w, g = rng.normal(size=shape), rng.normal(scale=float(rng.choice([0.01, 1, 50])),
                                                      size=shape)
            lr = float(rng.uniform(0.001, 0.5))
            if func == "momentum_step":
                args = (w, g, rng.normal(scale=0.1, size=shape), lr)
                kwargs = {"momentum": float(rng.uniform(0.5, 0.99))}
            elif func == "rmsprop_step":
                args = (w, g, rng.uniform(0, 1, size=shape), lr)
                kwargs = {"rho": float(rng.uniform(0.5, 0.99)),
                          "eps": float(rng.choice([1e-7, 1e-3, 0.05]))}
            else:
                args = (w, g, rng.normal(scale=0.1, size=shape), rng.uniform(0, 1, size=shape),
                        int(rng.integers(1, 30)), lr)
                kwargs = {"beta_1": float(rng.uniform(0.5, 0.95)),
                          "beta_2": float(rng.uniform(0.9, 0.9999)),
                          "eps": float(rng.choice([1e-7, 1e-3, 0.05]))}
            shown = ", ".join(f"{k}={v:.4g}" for k, v in kwargs.items())
            call = f"{func}(..., lr={lr:.4g}, {shown})  [shape {shape}]"
            got = call_clean(student, EX, func, *args, call=call,
                             names=public.STEP_ARGS[func], **kwargs)
            expected = getattr(reference.optimizers, func)(*args, **kwargs)
            public.expect_step(got, expected, func, call=call,
                               mistakes=sibling_variants(__file__, reference, func, *args,
                                                         **kwargs))


def test_train_on_seeded_networks_matches_reference(student, reference, rng):
    public = _public()
    for name in ("momentum", "rmsprop", "adam", "sgd"):
        sizes = [int(rng.integers(1, 4))] + [int(rng.integers(1, 5))] * int(rng.integers(1, 3)) \
            + [int(rng.integers(1, 3))]
        params = [(rng.normal(size=(a, b)), rng.normal(scale=0.3, size=b))
                  for a, b in zip(sizes[:-1], sizes[1:])]
        batch_size = int(rng.integers(2, 5))
        n = batch_size * int(rng.integers(2, 4)) + int(rng.integers(0, batch_size))
        X = rng.normal(size=(n, sizes[0]))
        Y = (rng.random((n, sizes[-1])) < 0.5).astype(float)
        epochs = int(rng.integers(2, 5))
        hyper = {"sgd": {}, "momentum": {"momentum": float(rng.uniform(0.5, 0.95))},
                 "rmsprop": {"rho": float(rng.uniform(0.5, 0.95))},
                 "adam": {"beta_1": float(rng.uniform(0.6, 0.95)),
                          "beta_2": float(rng.uniform(0.9, 0.999))}}[name]
        lr = {"sgd": 0.5, "momentum": 0.2, "rmsprop": 0.02, "adam": 0.02}[name]
        shown = "".join(f", {k}={v:.4g}" for k, v in hyper.items())
        call = (f"train(X, Y, params, \"{name}\", lr={lr:g}, batch_size={batch_size}, "
                f"epochs={epochs}{shown})  [{'→'.join(map(str, sizes))}, N = {n}]")
        args = (X, Y, params, name, lr, batch_size, epochs)
        outcome = student.call(EX, "train", *args, return_args=True, **hyper)
        expected = reference.optimizers.train(*args, **hyper)
        public.check_train(outcome.value, expected, call=call, epochs=epochs,
                           mistakes=sibling_variants(__file__, reference, "train", *args, **hyper),
                           warnings=outcome.info.get("warnings") or [])


def test_train_with_an_rng_uses_minibatches_once_per_epoch(student, reference, rng):
    """Its only randomness is sgd.minibatches(X, Y, batch_size, rng), once per epoch:
    with generators of one seed, the student's run and the reference's are the same."""
    public = _public()
    sizes = [2, int(rng.integers(2, 5)), int(rng.integers(2, 5)), 1]
    params = [(rng.normal(size=(a, b)), rng.normal(scale=0.3, size=b))
              for a, b in zip(sizes[:-1], sizes[1:])]
    n, batch_size, epochs = int(rng.integers(9, 16)), int(rng.integers(2, 5)), 3
    X, Y = rng.normal(size=(n, 2)), (rng.random((n, 1)) < 0.5).astype(float)
    name = str(rng.choice(["momentum", "adam"]))
    seed = int(rng.integers(2**31))
    args = (X, Y, params, name, 0.05, batch_size, epochs)
    call = (f"train(X, Y, params, \"{name}\", lr=0.05, batch_size={batch_size}, "
            f"epochs={epochs}, rng)  [{'→'.join(map(str, sizes))}, N = {n}]")
    outcome = student.call(EX, "train", *args, np.random.default_rng(seed), return_args=True)
    expected = reference.optimizers.train(*args, np.random.default_rng(seed))
    mistakes = {}
    for mistake, m in sibling_module(__file__, "mistakes").MUTANTS.items():
        if m.func == "train":                             # a fresh generator for each
            try:
                mistakes[mistake] = m.make(reference)(*args, np.random.default_rng(seed))
            except Exception:  # noqa: BLE001 - a mutant that cannot run names nothing
                mistakes[mistake] = None
    public.check_train(outcome.value, expected, call=call, epochs=epochs, mistakes=mistakes,
                       warnings=outcome.info.get("warnings") or [])
