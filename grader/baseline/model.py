"""The exercises' network in Keras, and what the grader asks of it (plain data in, NumPy out).

The network: ``Dense`` layers in Keras's layout (``W`` (n_in, n_out), ``b``
(n_out,)), the sigmoid after every layer, hidden and output; its parameters are
a list of ``(W, b)`` like the exercises' ``params``.

Binary cross-entropy, the same formulation on both sides
--------------------------------------------------------
Keras does not compute ``binary_crossentropy`` the same way on every backend
when the output layer is a sigmoid ``Dense`` (keras 3.15 source):

- TensorFlow: ``keras.activations.sigmoid`` stores its input on the output
  tensor (``_keras_logits``) and ``binary_crossentropy`` then takes the FUSED
  path, ``tf.nn.sigmoid_cross_entropy_with_logits`` on the logits: no clipping,
  and the gradient with respect to the logit is ``sigmoid(z) - y`` always.
- JAX: arrays take no attributes, so the loss takes the CLIPPED path,
  ``-(y log p + (1-y) log(1-p))`` with ``p`` clipped to ``[eps, 1-eps]``: where
  ``p`` is clipped the gradient is 0, not ``sigmoid(z) - y``. Moreover
  ``keras.ops.mean`` on JAX averages float64 in float32 (keras' ``result_type``
  maps float64 to float32 off TensorFlow), and ``keras.losses.BinaryCrossentropy``
  averages with it, so the stock loss is only float32-accurate there.

The exercises compute ``output_delta = A_L - Y`` (never zeroed by clipping), one
``1/N`` in ``layer_gradients``, and report ``binary_cross_entropy`` with
probabilities clipped to ``[1e-7, 1 - 1e-7]``. So the baseline uses:

- for TRAINING and GRADIENTS, the fused form on every backend: the model
  returns the LOGITS of the output layer (its sigmoid is applied inside the
  loss), and the loss of a batch is
  ``sum_k binary_crossentropy(y_k, z_k, from_logits=True)`` averaged over the
  samples with Keras's ``sum_over_batch_size`` (no ``ops.mean``). Its gradient
  with respect to ``z`` is ``(sigmoid(z) - y) / N``: exactly ``output_delta``
  and ``layer_gradients``.
- for the REPORTED loss (``history``), the clipped form on every backend:
  ``keras.ops.binary_crossentropy`` on the probabilities as a plain array
  (no ``_keras_logits``), summed and divided by ``N``: exactly the reference
  ``binary_cross_entropy`` (sum over outputs, mean over samples); see
  ``_after_each_epoch``.

With one output (every course task) both are Keras's mean BCE. With K outputs
they are K times Keras's (which also averages over outputs), because the
exercises' single ``1/N`` does not divide by K.

Every function takes ``device`` (``"auto" | "cpu" | "gpu"``, see
``select_device``) and runs under ``keras.device``.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from grader.baseline.backend import DeviceInfo, keras_module, select_device

# Compiled training (XLA, ``jit_compile``) in ``fit_sgd``, per backend. On JAX it
# keeps the agreement with the NumPy reference (max |dW| 4e-16 to 3e-15, CPU and
# GPU) and makes fit 5-15x faster than eager steps. On TensorFlow Keras refuses
# XLA while op determinism is on (keras.src.trainers.trainer.model_supports_jit),
# and the baseline needs determinism (identical runs, GPU included): training
# there is a graph-compiled ``tf.function`` without XLA.
JIT_COMPILE = {"jax": True, "tensorflow": False}


def _as_params(params) -> list[tuple[np.ndarray, np.ndarray]]:
    """``params`` as float64 ``(W, b)`` tuples whose shapes chain; ValueError otherwise."""
    out = []
    for index, (W, b) in enumerate(params, start=1):
        W, b = np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)
        if W.ndim != 2 or b.shape != (W.shape[1],):
            raise ValueError(f"layer {index}: W must be (n_in, n_out) and b (n_out,), "
                             f"got {W.shape} and {b.shape}")
        if out and out[-1][0].shape[1] != W.shape[0]:
            raise ValueError(f"layer {index}: W has {W.shape[0]} rows, the previous layer "
                             f"has {out[-1][0].shape[1]} units")
        out.append((W, b))
    if not out:
        raise ValueError("params must hold at least one layer")
    return out


def layer_sizes(params) -> list[int]:
    """``[n_0, n_1, ..., n_L]`` of a list of ``(W, b)``."""
    params = _as_params(params)
    return [params[0][0].shape[0]] + [W.shape[1] for W, _ in params]


def _as_data(X, Y=None, n_in=None):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or (n_in is not None and X.shape[1] != n_in):
        raise ValueError(f"X must be (N, {n_in}), got {X.shape}")
    if Y is None:
        return X
    Y = np.asarray(Y, dtype=np.float64)
    if Y.ndim != 2 or Y.shape[0] != X.shape[0]:
        raise ValueError(f"Y must be (N, K) with N = {X.shape[0]}, got {Y.shape}")
    return X, Y


def _pairs(flat) -> list[tuple[np.ndarray, np.ndarray]]:
    """``[W1, b1, W2, b2, ...]`` -> ``[(W1, b1), (W2, b2), ...]`` as float64 NumPy arrays."""
    flat = [np.asarray(a, dtype=np.float64) for a in flat]
    return list(zip(flat[0::2], flat[1::2]))


def _numpy(keras, tensor) -> np.ndarray:
    return np.asarray(keras.ops.convert_to_numpy(tensor), dtype=np.float64)


def _build(keras, params, dropout: float = 0.0, seed: int = 0):
    """A Keras model of the exercises' network holding ``params``; it returns the LOGITS.

    Hidden layers: ``Dense(sigmoid)`` (followed by ``Dropout(dropout)`` when
    ``dropout > 0``); output layer: ``Dense`` without activation (the sigmoid
    is applied by the loss and by ``_probabilities``).
    """
    sizes = layer_sizes(params)
    inputs = keras.Input(shape=(sizes[0],), dtype="float64")
    x = inputs
    for index, units in enumerate(sizes[1:], start=1):
        last = index == len(sizes) - 1
        x = keras.layers.Dense(units, activation=None if last else "sigmoid",
                               dtype="float64", name=f"layer_{index}")(x)
        if dropout and not last:
            x = keras.layers.Dropout(dropout, seed=seed + index, name=f"dropout_{index}")(x)
    model = keras.Model(inputs, x)
    model.set_weights([a for pair in params for a in pair])
    return model


def _training_loss(keras):
    """The loss used to train and differentiate: fused sigmoid + BCE (see module docstring)."""
    ops = keras.ops

    class BCEFromLogits(keras.losses.Loss):
        def call(self, y_true, logits):
            per_output = ops.binary_crossentropy(y_true, logits, from_logits=True)
            return ops.sum(per_output, axis=-1)

    return BCEFromLogits(name="bce_from_logits", reduction="sum_over_batch_size")


def _probabilities(keras, model, X) -> np.ndarray:
    """Sigmoid of the model's logits on ``X``, inference mode (``predict_on_batch``: compiled)."""
    return _numpy(keras, keras.ops.sigmoid(model.predict_on_batch(X)))


def _autodiff(keras, model, loss, X, Y) -> list[np.ndarray]:
    """Gradients of ``loss(Y, model(X))`` with respect to ``[W1, b1, ...]`` by autodiff."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            value = loss(Y, model(X, training=True))
        return [_numpy(keras, g) for g in tape.gradient(value, model.trainable_variables)]
    import jax

    trainable = [v.value for v in model.trainable_variables]
    frozen = [v.value for v in model.non_trainable_variables]

    def value(trainable):
        logits, _ = model.stateless_call(trainable, frozen, X, training=True)
        return loss(Y, logits)

    return [_numpy(keras, g) for g in jax.grad(value)(trainable)]


def activations(z, *, device: str = "auto", lang: str | None = None) -> dict[str, np.ndarray]:
    """Keras's activations at ``z`` and their derivatives by automatic differentiation.

    The derivative of an elementwise ``f`` is the gradient of ``sum(f(z))``
    (``tf.GradientTape`` on TensorFlow, ``jax.grad`` on JAX). On JAX, tanh is
    ``jax.numpy.tanh`` itself, because ``keras.activations.tanh`` computes in float32 there.

    Inputs:
    - z: array-like of any shape (float64)

    Returns:
    - dict of float64 arrays shaped like ``z``: ``"sigmoid"``, ``"sigmoid_derivative"``,
      ``"tanh"``, ``"tanh_derivative"``, ``"relu"``, ``"relu_derivative"``
      (0 at ``z == 0`` on both backends)
    """
    info = select_device(device, lang)
    keras = keras_module()
    functions = {"sigmoid": keras.activations.sigmoid, "tanh": keras.activations.tanh,
                 "relu": keras.activations.relu}
    if keras.backend.backend() == "jax":
        import jax

        # keras.ops.tanh casts float64 to float32 on JAX (keras' result_type maps
        # 64-bit floats to 32-bit off TensorFlow) and then calls jnp.tanh; call
        # jax's tanh directly to stay in float64.
        functions["tanh"] = jax.numpy.tanh
    z = np.asarray(z, dtype=np.float64)
    out = {}
    with keras.device(info.device_name):
        for name, f in functions.items():
            out[name] = _numpy(keras, f(z)).reshape(z.shape)
            out[f"{name}_derivative"] = _elementwise_derivative(keras, f, z).reshape(z.shape)
    return out


def _gradient(keras, f, x: np.ndarray) -> np.ndarray:
    """The gradient of the scalar ``f(x)`` with respect to ``x`` (TensorFlow or JAX)."""
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tensor = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(tensor)
            value = f(tensor)
        return _numpy(keras, tape.gradient(value, tensor))
    import jax

    return _numpy(keras, jax.grad(f)(keras.ops.convert_to_tensor(x)))


def _elementwise_derivative(keras, f, z: np.ndarray) -> np.ndarray:
    """The derivative of an elementwise ``f`` at every entry of ``z``: the gradient of its sum."""
    return _gradient(keras, lambda x: keras.ops.sum(f(x)), z)


def gradients(params, X, Y, *, device: str = "auto",
              lang: str | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """Gradients of the batch loss ``(X, Y)`` of the Keras model holding ``params``, by autodiff.

    Inputs:
    - params: list of L tuples ``(W (n_{l-1}, n_l), b (n_l,))``
    - X: (N, n_0) inputs; Y: (N, n_L) 0/1 targets

    Returns:
    - list of L tuples ``(dW, db)`` shaped like ``params`` (float64): what the
      exercises' ``backward`` computes
    """
    params = _as_params(params)
    X, Y = _as_data(X, Y, n_in=params[0][0].shape[0])
    info = select_device(device, lang)
    keras = keras_module()
    with keras.device(info.device_name):
        model = _build(keras, params)
        return _pairs(_autodiff(keras, model, _training_loss(keras), X, Y))


def predict(params, X, *, device: str = "auto", lang: str | None = None) -> np.ndarray:
    """Output probabilities of the Keras model holding ``params``.

    Inputs:
    - params: list of ``(W, b)``; X: (N, n_0)

    Returns:
    - (N, n_L) float64, the sigmoid of the output layer
    """
    params = _as_params(params)
    X = _as_data(X, n_in=params[0][0].shape[0])
    info = select_device(device, lang)
    keras = keras_module()
    with keras.device(info.device_name):
        return _probabilities(keras, _build(keras, params), X)


def fit_sgd(params, X, Y, lr: float, batch_size: int, epochs: int, *, dropout: float = 0.0,
            seed: int = 0, keep_weights: bool = False, device: str = "auto",
            lang: str | None = None) -> dict:
    """Train the Keras model from ``params`` with ``model.fit(..., shuffle=False)`` and ``SGD(lr)``.

    Mini-batches of ``batch_size`` rows in row order (the last one may be
    smaller), one SGD step each: what the exercises' ``sgd.train`` does with
    ``rng=None``. With ``dropout > 0`` a ``Dropout(dropout, seed=seed + l)``
    follows every hidden layer ``l`` (random: no longer step for step).

    Inputs:
    - params: initial list of ``(W, b)``; X: (N, n_0); Y: (N, n_L) 0/1
    - lr, batch_size, epochs: as in ``sgd.train``
    - keep_weights: also return the weights after every epoch

    Returns: dict with
    - ``"history"``: (epochs,) float64, the exercises' ``binary_cross_entropy``
      on the WHOLE training set after each epoch, without dropout (computed from
      the weights a callback keeps after each epoch; not Keras's running mean of
      batch losses)
    - ``"weights"``: final list of ``(W, b)``
    - ``"weights_per_epoch"``: with ``keep_weights``, list of ``(W, b)`` per layer
      with a leading epoch axis, ``W`` (epochs, n_in, n_out), ``b`` (epochs, n_out)
      (index ``e`` = after epoch ``e + 1``); else None
    - ``"probabilities"``: (N, n_L) final output probabilities on ``X``
    - ``"device"``: ``DeviceInfo.as_dict()`` of where it ran
    """
    params = _as_params(params)
    X, Y = _as_data(X, Y, n_in=params[0][0].shape[0])
    info = select_device(device, lang)
    keras = keras_module()
    epochs, batch_size = int(epochs), int(batch_size)
    steps_per_epoch = -(-X.shape[0] // batch_size)
    in_graph = keras.backend.backend() == "tensorflow" and epochs > 0
    with keras.device(info.device_name):
        model, recorder = _compiled_model(keras, params, X.shape[0], float(lr), batch_size,
                                          epochs, dropout, seed, in_graph, info.device_name)
        if not in_graph:
            recorder = _epoch_recorder(keras, steps_per_epoch)
        model.fit(**_batches(keras, X, Y, batch_size, epochs), shuffle=False, verbose=0,
                  callbacks=[] if in_graph else [recorder])
        per_epoch = recorder.weights
        if per_epoch:
            outputs, history = _after_each_epoch(keras, per_epoch, X, Y)
            probabilities = outputs[-1]
        else:
            history, probabilities = np.zeros(0), _probabilities(keras, model, X)
    return {
        "history": history,
        "weights": _pairs(model.get_weights()),
        "weights_per_epoch": _stack_epochs(per_epoch) if keep_weights else None,
        "probabilities": probabilities,
        "device": info.as_dict(),
    }


def _batches(keras, X, Y, batch_size: int, epochs: int) -> dict:
    """``model.fit``'s data and epoch arguments: the same batches of rows in order, every epoch.

    On TensorFlow ONE Keras epoch over ``from_tensor_slices(...).batch(batch_size)``
    repeated ``epochs`` times (batched first, so every course epoch has the same
    batches, the last one possibly smaller): Keras's per-epoch machinery (iterator,
    epoch callbacks, logs) costs ~2 ms, which dominated course-sized fits (XOR:
    300 epochs of one step). Keras's own adapter for arrays would also build a
    heavier tf.data pipeline; the whole fit is then one compiled call that records the
    weights after each course epoch itself (``_GraphRecorder``). On JAX, ``epochs``
    Keras epochs over the arrays, with ``steps_per_execution`` equal to the steps of one
    course epoch, so a compiled call runs exactly one course epoch and
    ``on_train_batch_end`` fires at the end of each (see ``_epoch_recorder``).
    """
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        data = tf.data.Dataset.from_tensor_slices((X, Y)).batch(batch_size).repeat(epochs)
        return {"x": data, "epochs": 1}
    return {"x": X, "y": Y, "batch_size": batch_size, "epochs": epochs}


def _stack_epochs(per_epoch) -> list[tuple[np.ndarray, np.ndarray]]:
    """One list of ``(W, b)`` per epoch -> ``(W (E, ...), b (E, ...))`` per layer."""
    return [(np.stack([params[l][0] for params in per_epoch]),
             np.stack([params[l][1] for params in per_epoch]))
            for l in range(len(per_epoch[0]))] if per_epoch else []


def _epoch_recorder(keras, steps_per_epoch: int):
    """A callback keeping the weights after each course epoch (the losses come after ``fit``).

    With ``steps_per_execution = steps_per_epoch`` Keras calls
    ``on_train_batch_end(end_step)`` once per compiled call, i.e. once per course
    epoch, whatever the backend and however ``_batches`` split the epochs.
    """

    class EpochRecorder(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.weights = []

        def on_train_batch_end(self, batch, logs=None):
            if (batch + 1) % steps_per_epoch == 0:
                # trainable_variables: [W1, b1, W2, b2, ...] (Dense layers only);
                # Variable.numpy() is the cheapest read (~1.5x cheaper than
                # get_weights() or ops.convert_to_numpy on TensorFlow).
                self.weights.append(_pairs([v.numpy() for v in self.model.trainable_variables]))

    return EpochRecorder()


# Compiled models kept for the next fit of the same network and schedule (see
# _compiled_model): tracing the training function is most of a course-sized fit.
_COMPILED: "OrderedDict[tuple, tuple]" = OrderedDict()
_COMPILED_MAX = 8
_COMPILED_MAX_VALUES = 2_000_000     # weights x epochs a kept model's recorder may hold


def _compiled_model(keras, params, n_samples: int, lr: float, batch_size: int, epochs: int,
                    dropout: float, seed: int, in_graph: bool, device_name: str):
    """A compiled model holding ``params`` with fresh optimizer state, and its recorder.

    Without dropout, the model of an earlier fit of the same layer sizes, samples,
    learning rate, batch size and epochs is reused: its weights are set to ``params``
    and its step counter to 0 (plain SGD keeps no other state), so ``fit`` runs the
    training function already traced, with the same operations as a new model (two
    fits agree bit for bit; tests/unit/baseline). With dropout a new model is built
    each time (its layers' seed generators must start afresh), and so it is for a
    network whose per-epoch weights would hold more than 16 MB.
    """
    sizes = tuple(layer_sizes(params))
    key = (keras.backend.backend(), device_name, sizes, n_samples, lr, batch_size, epochs,
           in_graph)
    weights = [array for layer in params for array in layer]
    if not dropout and key in _COMPILED:
        _COMPILED.move_to_end(key)
        model, recorder = _COMPILED[key]
        model.set_weights(weights)
        model.optimizer.iterations.assign(0)
        return model, recorder
    steps_per_epoch = -(-n_samples // batch_size)
    model = _build(keras, params, dropout=dropout, seed=seed)
    recorder = _GraphRecorder(model, epochs, steps_per_epoch) if in_graph else None
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss=_training_loss(keras),
                  jit_compile=JIT_COMPILE.get(keras.backend.backend(), False),
                  steps_per_execution=steps_per_epoch * (epochs if in_graph else 1))
    if not dropout and sum(a.size for a in weights) * max(epochs, 1) <= _COMPILED_MAX_VALUES:
        _COMPILED[key] = (model, recorder)
        while len(_COMPILED) > _COMPILED_MAX:
            _COMPILED.popitem(last=False)
    return model, recorder


class _GraphRecorder:
    """TensorFlow: the weights after each course epoch, written by the train step itself.

    ``model.train_step`` is wrapped so that after each SGD step it copies the weights
    into row ``(step - 1) // steps_per_epoch`` of a (epochs, ...) buffer variable per
    weight: the last step of an epoch leaves that epoch's weights there. The whole fit
    then runs as ONE compiled call (``steps_per_execution`` = every step, a
    ``tf.while_loop``), with no Python callback between epochs: XOR's 300 epochs of
    one step cost one call instead of 300 calls and 300 weight reads. The SGD steps are
    Keras's own, unchanged.
    """

    def __init__(self, model, epochs: int, steps_per_epoch: int):
        import tensorflow as tf

        self._buffers = [tf.Variable(tf.zeros((epochs, *v.shape), dtype=v.dtype),
                                     trainable=False) for v in model.trainable_variables]
        step_of_keras = model.train_step

        def train_step(data):
            logs = step_of_keras(data)
            epoch = (model.optimizer.iterations - 1) // steps_per_epoch
            for buffer, variable in zip(self._buffers, model.trainable_variables):
                buffer[epoch].assign(variable.value)
            return logs

        model.train_step = train_step

    @property
    def weights(self) -> list:
        """One list of ``(W, b)`` per epoch, like ``_epoch_recorder``'s."""
        stacked = [b.numpy() for b in self._buffers]
        return [_pairs([a[e] for a in stacked]) for e in range(len(stacked[0]))]


def _after_each_epoch(keras, per_epoch, X: np.ndarray, Y: np.ndarray):
    """The network's output probabilities and reported loss after every epoch, in one pass.

    The weights of all epochs are stacked on a leading axis and the network's
    forward pass (``Dense``: ``A @ W + b``, sigmoid) runs once on the stack with
    ``keras.ops``: a handful of operations, instead of a model call (and a
    traced predict function) per epoch.

    Returns:
    - (epochs, N, n_L) float64 probabilities
    - (epochs,) float64 losses: BCE of clipped probabilities
      (``keras.ops.binary_crossentropy``), sum over outputs, mean over samples
    """
    ops = keras.ops
    A = ops.convert_to_tensor(X)
    for W, b in _stack_epochs(per_epoch):
        A = ops.sigmoid(ops.matmul(A, ops.convert_to_tensor(W))
                        + ops.convert_to_tensor(b)[:, None, :])
    targets = ops.broadcast_to(ops.convert_to_tensor(Y), ops.shape(A))
    per_entry = ops.binary_crossentropy(targets, A, from_logits=False)
    return _numpy(keras, A), _numpy(keras, ops.sum(per_entry, axis=(1, 2))) / Y.shape[0]


def dropout(A, rate: float, seed: int = 0, *, device: str = "auto",
            lang: str | None = None) -> dict[str, np.ndarray]:
    """Keras's ``Dropout(rate, seed=seed)`` applied to ``A`` in training and in inference mode.

    Inputs:
    - A: activations, any shape (float64); rate: fraction of units dropped, in [0, 1)

    Returns:
    - ``{"train": ..., "eval": ...}`` float64 arrays shaped like ``A``: in
      training each unit is 0 or ``A / (1 - rate)``; in inference ``A`` unchanged
    """
    A = np.asarray(A, dtype=np.float64)
    info = select_device(device, lang)
    keras = keras_module()
    with keras.device(info.device_name):
        layer = keras.layers.Dropout(float(rate), seed=seed, dtype="float64")
        return {"train": _numpy(keras, layer(A, training=True)),
                "eval": _numpy(keras, layer(A, training=False))}


__all__ = ["DeviceInfo", "activations", "dropout", "fit_sgd", "gradients", "layer_sizes",
           "predict"]
