"""Vendor scikit-learn's 8x8 digits into grader/data/digits.npz (run once, by a developer).

    python -m grader.devtools.vendor_digits          # (re)write grader/data/digits.npz
    python -m grader.devtools.vendor_digits --check  # exit 1 if the file differs

The file holds two arrays, no pickle, compressed: ``pixels`` uint8 (1797, 64)
with values 0..16 (8x8 images row by row) and ``target`` uint8 (1797,), the
digit. The grader reads it with ``np.load(..., allow_pickle=False)``; only this
script needs scikit-learn. The images are the UCI "Optical Recognition of
Handwritten Digits" test set (Alpaydin & Kaynak, CC BY 4.0) as scikit-learn ships it.
"""
from __future__ import annotations

import argparse
import io
import sys

import numpy as np

from grader.atomic import atomic_write_bytes
from grader.datasets import DIGITS_FILE


def digits_arrays() -> dict[str, np.ndarray]:
    """``{"pixels": uint8 (1797, 64), "target": uint8 (1797,)}`` from scikit-learn."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    pixels = np.asarray(bunch.data)
    if not np.array_equal(pixels, np.round(pixels)) or pixels.min() < 0 or pixels.max() > 16:
        raise ValueError("expected integer pixels in 0..16")
    return {"pixels": pixels.astype(np.uint8), "target": np.asarray(bunch.target).astype(np.uint8)}


def write(arrays: dict[str, np.ndarray], path=DIGITS_FILE) -> None:
    """Write ``arrays`` to ``path`` atomically (temporary file, then os.replace)."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    atomic_write_bytes(path, buffer.getvalue())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = parser.parse_args(argv)
    arrays = digits_arrays()
    if args.check:
        with np.load(DIGITS_FILE, allow_pickle=False) as stored:
            same = set(stored.files) == set(arrays) and all(
                stored[k].dtype == v.dtype and np.array_equal(stored[k], v)
                for k, v in arrays.items())
        print(f"{DIGITS_FILE}: {'up to date' if same else 'DIFFERS'}")
        return 0 if same else 1
    write(arrays)
    print(f"wrote {DIGITS_FILE} ({DIGITS_FILE.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
