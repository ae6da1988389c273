

# A wrong train: it draws ONE seed from the given rng, then re-creates a generator from that
# seed for every epoch's shuffle and for every mask. Every epoch visits the rows in the SAME
# order (as if it shuffled once) and every batch and every hidden layer of the same shape
# gets the SAME dropout mask (masks reused), against the contract: "with an rng, each
# epoch's batches come from a new permutation" and "one fresh dropout mask per hidden layer".
def train(X, Y, params, lr, batch_size, epochs, rng=None, dropout_rate=0.0):
    if dropout_rate > 0 and rng is None:
        raise ValueError("dropout_rate > 0 needs an rng")
    seed = None if rng is None else int(rng.integers(2 ** 31))
    history = []
    for _ in range(epochs):
        shuffle = None if seed is None else np.random.default_rng(seed)
        for X_batch, Y_batch in minibatches(X, Y, batch_size, shuffle):
            masks = None
            if dropout_rate > 0:
                masks = [dropout_mask((X_batch.shape[0], W.shape[1]), dropout_rate,
                                      np.random.default_rng(seed + 1))
                         for W, _ in params[:-1]]
            _, cache = forward(X_batch, params, masks)
            params = sgd_step(params, backward(params, cache, Y_batch), lr)
        A_L, _ = forward(X, params)
        history.append(binary_cross_entropy(A_L, Y))
    return params, history
