"""Random training checked exactly: replay what the student's ``train`` drew.

``sgd.train`` with an ``rng`` (shuffling) and a ``dropout_rate`` (masks) draws
random numbers; a correct implementation may draw them in another order, so
its result cannot be compared with the reference run on the same seed. Instead
the check calls the student's ``train`` with ``minibatches`` and
``dropout.dropout_mask`` routed through the judge (``student.call(...,
replace=REPLACE)``): the reference draws each permutation and mask from the
student's own generator (its state travels both ways), the judge records
every batch and mask the student's ``train`` received, and
:func:`expected_train` replays exactly those batches and masks through the
reference step by step. The student's result must then equal the replay's.

So wrong shuffling (none, once for all epochs, without the rng), masks reused
across batches, missing or misshapen, the wrong rate, masks left out of the
backward pass, or wrong scaling all change the result or fail a stated rule,
while a correct ``train`` keeps full marks whatever order it draws in. A wrong
``minibatches`` or ``dropout_mask`` of the student costs nothing here: the
reference's are used (their own checks grade them).
"""

from __future__ import annotations

import numpy as np

from grader.checks.expect import fail

# The functions a replayed train reaches through the judge.
REPLACE = {"sgd": ["minibatches"], "dropout": ["dropout_mask", "dropout_forward"]}


def _arg(call: dict, index: int, name: str, default=None):
    args, kwargs = call.get("args") or [], call.get("kwargs") or {}
    if name in kwargs:
        return kwargs[name]
    return args[index] if len(args) > index else default


def drawn(callbacks) -> tuple[list, list]:
    """(minibatches calls, masks drawn) among the calls a student's train made."""
    minis = [c for c in callbacks if (c["module"], c["func"]) == ("sgd", "minibatches")]
    masks = []
    for c in callbacks:
        if (c["module"], c["func"]) == ("dropout", "dropout_mask"):
            masks.append((c, np.asarray(c["value"], dtype=float)))
        elif (c["module"], c["func"]) == ("dropout", "dropout_forward") and isinstance(
                c["value"], (list, tuple)) and len(c["value"]) == 2 and c["value"][1] is not None:
            masks.append((c, np.asarray(c["value"][1], dtype=float)))
    return minis, masks


def _assign(group, shapes, reverse, call):
    """The masks of one batch, by layer: each layer takes the first mask drawn (the last,
    with ``reverse``) of its activation's shape, so the order of the draws is free."""
    left = list(reversed(group)) if reverse else list(group)
    out = [None] * len(shapes)
    for layer in range(len(shapes)):
        match = next((i for i, m in enumerate(left) if m.shape == shapes[layer]), None)
        if match is None:
            got = left[0].shape if left else "-"
            fail("feedback.replay_mask_shape", call=call, layer=layer + 1, got=str(got),
                 expected=str(shapes[layer]))
        out[layer] = left.pop(match)
    return out


def _state(c, index, name):
    """The state a generator argument of a recorded callback had when the call began."""
    g = _arg(c, index, name)
    if not isinstance(g, np.random.Generator):
        return None
    return repr(g.bit_generator.state)


def _expect_fresh_draws(minis, masks, call):
    """Every permutation and every mask is drawn where the previous draw left the generator:
    two draws that start from one state (a generator rebuilt from one seed each time) give
    every epoch the same order, or every batch the same mask."""
    for calls, index, name, mistake in ((minis, 3, "rng", "train_shuffles_once"),
                                        ([c for c, _ in masks], 2, "rng", "train_masks_reused")):
        seen = set()
        for c in calls:
            state = _state(c, index, name)
            if state is None:
                continue
            if state in seen:
                fail("feedback.replay_reused_state", call=call, mistake=mistake)
            seen.add(state)


def _rows(a):
    """The rows of ``a`` in one canonical order (the same for any permutation of them)."""
    a = np.asarray(a, dtype=float)
    a = a.reshape(len(a), -1) if a.ndim else a.reshape(1, 1)
    return a[np.lexsort(a.T[::-1])] if a.size else a


def _shuffled_once(minis, X) -> bool:
    """Every epoch's minibatches got the same rows of X, permuted, and no rng: ``train``
    drew one permutation itself, before the loop over epochs (the rng used once)."""
    got = [_arg(c, 0, "X") for c in minis]
    if len(got) < 2 or any(g is None or np.shape(g) != X.shape for g in got):
        return False
    first = np.asarray(got[0], dtype=float)
    return (not np.allclose(first, X) and np.allclose(_rows(first), _rows(X))
            and all(np.allclose(np.asarray(g, dtype=float), first) for g in got[1:])
            and all(_arg(c, 3, "rng") is None for c in minis))


def expected_train(reference, callbacks, X, Y, params, lr, batch_size, epochs, *, rng_given,
                   rate, call: str, reverse: bool = False):
    """The reference's ``(params, history)`` for the batches and masks the student drew.

    A batch's masks go to the layers by shape, in the order drawn (``reverse``: last
    drawn first, for a train that draws the last layer's mask first; try both).

    Fails (CheckFailed, bilingual) where the draws break a rule of the contract:
    one ``minibatches(X, Y, batch_size, rng)`` per epoch, shuffled with the rng,
    and one fresh mask per hidden layer per batch, drawn with ``dropout_rate``.
    """
    ref = reference
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    minis, masks = drawn(callbacks)
    if not minis:
        fail("feedback.replay_no_minibatches", call=call, epochs=epochs)
    if len(minis) != epochs:
        fail("feedback.replay_minibatches_count", call=call, epochs=epochs, got=len(minis),
             mistake="train_shuffles_once" if len(minis) == 1 and epochs > 1 else None)
    for e, c in enumerate(minis):
        Xa, Ya = _arg(c, 0, "X"), _arg(c, 1, "Y")
        same_data = all(a is not None and np.shape(a) == b.shape and np.allclose(a, b)
                        for a, b in ((Xa, X), (Ya, Y)))
        if not same_data or _arg(c, 2, "batch_size") != batch_size:
            fail("feedback.replay_minibatches_args", call=call, epoch=e, batch_size=batch_size,
                 mistake="train_shuffles_once" if rng_given and _shuffled_once(minis, X)
                 else None)
        if rng_given and _arg(c, 3, "rng") is None:
            fail("feedback.replay_not_shuffled", call=call, epoch=e, mistake="train_no_shuffle")
    hidden = len(params) - 1
    batches = [b for c in minis for b in c["value"]]
    if rate > 0:
        if not masks:
            fail("feedback.replay_no_masks", call=call)
        if len(masks) != len(batches) * hidden:
            fail("feedback.replay_masks_count", call=call, expected=len(batches) * hidden,
                 got=len(masks), batches=len(batches), hidden=hidden,
                 mistake="train_masks_reused" if len(masks) < len(batches) * hidden else None)
        for c, _ in masks:
            got_rate = _arg(c, 1, "rate")
            if got_rate is None or not np.isclose(float(got_rate), rate):
                fail("feedback.replay_mask_rate", call=call, rate=rate, got=got_rate)
    _expect_fresh_draws(minis, masks, call)
    trained = [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in params]
    history, k = [], 0
    for epoch in range(epochs):
        for Xb, Yb in minis[epoch]["value"]:
            Xb, Yb = np.asarray(Xb, dtype=float), np.asarray(Yb, dtype=float)
            batch_masks = None
            if rate > 0:
                group = [m for _, m in masks[k:k + hidden]]
                k += hidden
                batch_masks = _assign(group, [(Xb.shape[0], W.shape[1]) for W, _ in
                                              trained[:-1]], reverse, call)
            _, cache = ref.backprop.forward(Xb, trained, batch_masks)
            trained = ref.sgd.sgd_step(trained, ref.backprop.backward(trained, cache, Yb), lr)
        history.append(ref.backprop.binary_cross_entropy(ref.backprop.forward(X, trained)[0], Y))
    return trained, history
