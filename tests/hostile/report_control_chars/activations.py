# Appended to the reference activations.py: sigmoid_derivative prints and raises text full
# of terminal escapes (retitle the window, recolour, hide text, write the clipboard) and a
# bidi override, hoping that an instructor who `cat`s feedback.md runs them.
_ESCAPES = ("\x1b]0;pwned\x07\x1b[31mRED\x1b[8mHIDDEN\x1b[0m\x1b]52;c;cHduZWQ=\x07"
            "\u202eevil\u2066\x9b31m\x00")


def sigmoid_derivative(z):
    print("printed:" + _ESCAPES)
    raise ValueError("raised:" + _ESCAPES)
