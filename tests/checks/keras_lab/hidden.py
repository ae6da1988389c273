"""Hidden checks of keras_lab.py: seeded sizes and settings, run in the Keras worker."""

from grader.exercises import load_unit_module

# The public checks' helpers (the probe, the contract's expectations): public.py ships to
# students, so the helpers live there.
LAB = load_unit_module("keras_lab", "public")


def test_build_mlp_on_seeded_sizes(student, rng):
    n_inputs = int(rng.integers(2, 9))
    hidden = [int(h) for h in rng.integers(2, 17, size=int(rng.integers(1, 4)))]
    n_outputs = int(rng.choice([1, int(rng.integers(2, 6))]))
    rate = float(rng.choice([0.0, round(float(rng.uniform(0.1, 0.6)), 2)]))
    call = f"build_mlp({n_inputs}, {hidden}, n_outputs={n_outputs}, dropout_rate={rate})"
    model = LAB.expect_model(LAB.probe(student, "describe_mlp", n_inputs, hidden,
                                             n_outputs, rate), call)
    LAB.expect_layers(model, n_inputs, hidden, n_outputs, rate, call)


def test_compile_and_fit_on_seeded_settings(student, rng):
    n_outputs = int(rng.choice([1, 2]))
    lr = float(rng.choice([0.002, 0.005, 0.02]))
    batch_size = int(rng.choice([16, 20, 50]))
    epochs = int(rng.integers(2, 4))
    patience = int(rng.integers(1, 4))
    seed = int(rng.integers(0, 1000))
    run = LAB.fit_settings(student, hidden=(int(rng.integers(3, 9)),), n_outputs=n_outputs,
                              epochs=epochs, patience=patience, lr=lr, batch_size=batch_size,
                              seed=seed)
    call = (f"compile_and_fit(model, ..., lr={lr}, batch_size={batch_size}, epochs={epochs}, "
            f"patience={patience}, seed={seed})  [{n_outputs} output(s)]")
    LAB.expect_compile(run, n_outputs, lr, call)
    LAB.expect_fit(run, batch_size=batch_size, epochs=epochs, patience=patience, call=call)
    LAB.expect_reference_training(run, call)
