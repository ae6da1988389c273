"""Celdas recurrentes: RNN simple, LSTM y GRU / Recurrent cells: simple RNN, LSTM and GRU.

Español
-------
Una red recurrente procesa una secuencia paso a paso y lleva un estado oculto h
de un paso al siguiente: h_t = tanh(x_t Wx + h_{t-1} Wh + b). La misma celda (los
mismos pesos) se aplica en cada paso. Se entrena con retropropagación a través
del tiempo (BPTT): el gradiente que llega a h_t viene de la pérdida en t y del
paso t+1, y los gradientes de los pesos se SUMAN sobre todos los pasos.
LSTM y GRU añaden puertas (sigmoides entre 0 y 1) que deciden qué se olvida y qué
se añade. Convenciones de Keras: un paso x tiene forma (N, D), el estado h
(N, H), una secuencia X (N, T, D); los pesos de las puertas van uno al lado del
otro en columnas, en el orden de Keras.

English
-------
A recurrent network processes a sequence step by step and carries a hidden state
h from one step to the next: h_t = tanh(x_t Wx + h_{t-1} Wh + b). The same cell
(the same weights) is applied at every step. It is trained with backpropagation
through time (BPTT): the gradient reaching h_t comes from the loss at t and from
step t+1, and the weight gradients are SUMMED over all steps. LSTM and GRU add
gates (sigmoids between 0 and 1) that decide what is forgotten and what is added.
Keras conventions: one step x has shape (N, D), the state h (N, H), a sequence X
(N, T, D); the gates' weights sit side by side in columns, in Keras's order.
"""
import numpy as np


def _sigmoid(z):
    """Sigmoide estable (dada) / Stable sigmoid (given): 1 / (1 + e^(-z)) = (1 + tanh(z/2)) / 2."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


def rnn_cell_forward(x, h_prev, Wx, Wh, b):
    """Un paso de la RNN simple / One step of the simple RNN.

    h = tanh(x · Wx + h_prev · Wh + b)

    Español
    -------
    Como keras.layers.SimpleRNNCell (kernel = Wx, recurrent_kernel = Wh, bias = b).
    Entradas:
    - x: (N, D) la entrada de este paso.
    - h_prev: (N, H) el estado oculto del paso anterior.
    - Wx: (D, H); Wh: (H, H); b: (H,).
    Devuelve:
    - h: (N, H) float64, el nuevo estado oculto.
    Ejemplo: con x = 0, h_prev = 0 y b = 0, h = tanh(0) = 0.

    English
    -------
    As keras.layers.SimpleRNNCell (kernel = Wx, recurrent_kernel = Wh, bias = b).
    Inputs:
    - x: (N, D) this step's input.
    - h_prev: (N, H) the previous step's hidden state.
    - Wx: (D, H); Wh: (H, H); b: (H,).
    Returns:
    - h: (N, H) float64, the new hidden state.
    Example: with x = 0, h_prev = 0 and b = 0, h = tanh(0) = 0.
    """
    x, h_prev = np.asarray(x, dtype=np.float64), np.asarray(h_prev, dtype=np.float64)
    Wx, Wh, b = (np.asarray(a, dtype=np.float64) for a in (Wx, Wh, b))
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    raise NotImplementedError("Ejercicio pendiente: implementa rnn.rnn_cell_forward() / Exercise not done yet: implement rnn.rnn_cell_forward()")
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def rnn_forward(X, h0, Wx, Wh, b):
    """La RNN simple sobre una secuencia entera / The simple RNN over a whole sequence.

    h_t = tanh(x_t · Wx + h_{t-1} · Wh + b),  t = 0 .. T-1, con/with h_{-1} = h0

    Español
    -------
    Aplica rnn_cell_forward en cada paso, de t = 0 a T-1, partiendo de h0. Como
    keras.layers.SimpleRNN(H, return_sequences=True) con estado inicial h0.
    La caché es lo que tu rnn_backward necesite (tú eliges su forma: una lista
    de tuplas de arrays, por ejemplo); solo debe contener números y arrays.
    Entradas:
    - X: (N, T, D) la secuencia; h0: (N, H) el estado inicial.
    - Wx: (D, H); Wh: (H, H); b: (H,).
    Devuelve:
    - Hs: (N, T, H) float64, Hs[:, t] = h_t (todos los estados ocultos).
    - cache: lo que rnn_backward necesita.

    English
    -------
    Applies rnn_cell_forward at every step, t = 0 to T-1, starting from h0. As
    keras.layers.SimpleRNN(H, return_sequences=True) with initial state h0.
    The cache is whatever your rnn_backward needs (you choose its form: a list of
    tuples of arrays, for example); it must hold only numbers and arrays.
    Inputs:
    - X: (N, T, D) the sequence; h0: (N, H) the initial state.
    - Wx: (D, H); Wh: (H, H); b: (H,).
    Returns:
    - Hs: (N, T, H) float64, Hs[:, t] = h_t (every hidden state).
    - cache: what rnn_backward needs.
    """
    X, h0 = np.asarray(X, dtype=np.float64), np.asarray(h0, dtype=np.float64)
    Wx, Wh, b = (np.asarray(a, dtype=np.float64) for a in (Wx, Wh, b))
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    raise NotImplementedError("Ejercicio pendiente: implementa rnn.rnn_forward() / Exercise not done yet: implement rnn.rnn_forward()")
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def rnn_backward(dHs, cache):
    """Retropropagación a través del tiempo (BPTT) / Backpropagation through time (BPTT).

    a_t = x_t·Wx + h_{t-1}·Wh + b,  h_t = tanh(a_t)
    dh_t = dHs[:, t] + da_{t+1} · Whᵀ        (el paso siguiente / the next step)
    da_t = dh_t * (1 - h_t²)                 (tanh'(a_t))
    dWx = Σ_t x_tᵀ·da_t,  dWh = Σ_t h_{t-1}ᵀ·da_t,  db = Σ_t Σ_n da_t
    dx_t = da_t · Wxᵀ,  dh0 = da_0 · Whᵀ

    Español
    -------
    Recorre los pasos de T-1 a 0. dHs[:, t] es dL/dh_t que llega desde arriba (la
    pérdida en el paso t); a h_t también le llega gradiente desde el paso t+1. Los
    pesos son los mismos en cada paso, así que sus gradientes se SUMAN sobre t.
    No hay 1/N aquí: dHs ya es la derivada de la pérdida.
    Entradas:
    - dHs: (N, T, H) dL/dHs.
    - cache: la caché de TU rnn_forward.
    Devuelve:
    - (dX, dh0, dWx, dWh, db) con las formas de X (N, T, D), h0 (N, H),
      Wx (D, H), Wh (H, H) y b (H,).

    English
    -------
    Walks the steps from T-1 down to 0. dHs[:, t] is dL/dh_t coming from above
    (the loss at step t); h_t also receives gradient from step t+1. The weights
    are the same at every step, so their gradients are SUMMED over t. There is no
    1/N here: dHs already is the loss's derivative.
    Inputs:
    - dHs: (N, T, H) dL/dHs.
    - cache: the cache of YOUR rnn_forward.
    Returns:
    - (dX, dh0, dWx, dWh, db) shaped like X (N, T, D), h0 (N, H),
      Wx (D, H), Wh (H, H) and b (H,).
    """
    dHs = np.asarray(dHs, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    raise NotImplementedError("Ejercicio pendiente: implementa rnn.rnn_backward() / Exercise not done yet: implement rnn.rnn_backward()")
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def lstm_cell_forward(x, h_prev, c_prev, W, U, b):
    """Un paso de la LSTM / One step of the LSTM.

    Z = x·W + h_prev·U + b,  separada en / split into [Z_i, Z_f, Z_c, Z_o] (H columnas cada una)
    i = σ(Z_i),  f = σ(Z_f),  c~ = tanh(Z_c),  o = σ(Z_o)
    c = f * c_prev + i * c~
    h = o * tanh(c)

    Español
    -------
    Puertas de entrada (i), olvido (f) y salida (o), y la candidata c~ a nueva
    memoria. El orden de los bloques es el de keras.layers.LSTMCell:
    [i, f, c~, o]. La W[h, x] del curso es lo mismo con los dos bloques apilados.
    Entradas:
    - x: (N, D); h_prev: (N, H); c_prev: (N, H) la memoria anterior.
    - W: (D, 4H); U: (H, 4H); b: (4H,).
    Devuelve:
    - (h, c): dos arrays (N, H) float64, el nuevo estado oculto y la nueva memoria.

    English
    -------
    Input (i), forget (f) and output (o) gates, and the candidate c~ for the new
    memory. The blocks come in keras.layers.LSTMCell's order: [i, f, c~, o].
    The course's W[h, x] is the same with the two blocks stacked.
    Inputs:
    - x: (N, D); h_prev: (N, H); c_prev: (N, H) the previous memory.
    - W: (D, 4H); U: (H, 4H); b: (4H,).
    Returns:
    - (h, c): two (N, H) float64 arrays, the new hidden state and the new memory.
    """
    x, h_prev, c_prev = (np.asarray(a, dtype=np.float64) for a in (x, h_prev, c_prev))
    W, U, b = (np.asarray(a, dtype=np.float64) for a in (W, U, b))
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    raise NotImplementedError("Ejercicio pendiente: implementa rnn.lstm_cell_forward() / Exercise not done yet: implement rnn.lstm_cell_forward()")
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def gru_cell_forward(x, h_prev, W, U, b):
    """Un paso de la GRU del curso / One step of the course's GRU.

    z = σ(x·W_z + h_prev·U_z + b_z)            (puerta de actualización / update gate)
    r = σ(x·W_r + h_prev·U_r + b_r)            (puerta de reinicio / reset gate)
    h~ = tanh(x·W_h + (r * h_prev)·U_h + b_h)
    h = (1 - z) * h_prev + z * h~

    Español
    -------
    El reinicio r se aplica ANTES del producto por U_h (como en las diapositivas).
    z decide cuánto de la propuesta h~ entra: z = 0 conserva h_prev. Bloques en el
    orden [z, r, h~], H columnas cada uno. Keras, GRUCell(reset_after=False), da
    a z el papel contrario; reproduce esta celda si se niegan los bloques z.
    Entradas:
    - x: (N, D); h_prev: (N, H).
    - W: (D, 3H); U: (H, 3H); b: (3H,).
    Devuelve:
    - h: (N, H) float64, el nuevo estado oculto.

    English
    -------
    The reset r is applied BEFORE the product with U_h (as on the slides). z
    decides how much of the proposal h~ comes in: z = 0 keeps h_prev. Blocks in
    the order [z, r, h~], H columns each. Keras's GRUCell(reset_after=False)
    gives z the opposite role; it reproduces this cell with the z blocks negated.
    Inputs:
    - x: (N, D); h_prev: (N, H).
    - W: (D, 3H); U: (H, 3H); b: (3H,).
    Returns:
    - h: (N, H) float64, the new hidden state.
    """
    x, h_prev = np.asarray(x, dtype=np.float64), np.asarray(h_prev, dtype=np.float64)
    W, U, b = (np.asarray(a, dtype=np.float64) for a in (W, U, b))
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    raise NotImplementedError("Ejercicio pendiente: implementa rnn.gru_cell_forward() / Exercise not done yet: implement rnn.gru_cell_forward()")
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<
