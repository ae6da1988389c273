def relu(z):
    raise ValueError("bad \ud800 value \udfff")
