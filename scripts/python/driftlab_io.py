#!/usr/bin/env python3
"""Move data, θ and metrics between NumPy/pandas and driftlab (see docs/interop.md).

    import sys; sys.path.insert(0, "scripts/python")
    import driftlab_io as dio

    dio.save_dataset("data.npz", X, y)           # then: --data npz:data.npz   (X [N, ...] floats, y [N] labels)
    X, y, Y = dio.load_dataset("data.npz")        # what driftlab reads (Y: explicit targets [N, K] or None)
    theta = dio.load_theta("runs/eos-.../theta_final_r0.npy")   # flat float64 θ, PyTorch's parameter order
    df = dio.read_metrics("runs/eos-.../metrics.csv")      # exact float64 values

Command line:

    python3 scripts/python/driftlab_io.py describe FILE.npz|FILE.npy     # shapes and dtypes, checked as driftlab does

Needs NumPy; read_metrics needs pandas. The .npz layout is the one of data.DataSources.readNpzDataset: an
uncompressed (numpy.savez) archive with X, and y and/or Y.
"""
import sys

import numpy as np


def save_dataset(path, X, y=None, Y=None):
    """Writes X [N, ...] as float64, y [N] as int64 class labels 0..K-1, Y [N, K] as float64 regression targets.

    At least one of y and Y is needed. Raises ValueError for what driftlab would refuse, before writing anything.
    """
    X = np.ascontiguousarray(X, dtype=np.float64)
    if X.ndim < 1:
        raise ValueError("X needs a leading example axis, got a scalar")
    n = X.shape[0]
    arrays = {"X": X}
    if y is None and Y is None:
        raise ValueError("need labels y [N] or targets Y [N, K]")
    if y is not None:
        y = np.asarray(y)
        if y.shape != (n,):
            raise ValueError("y must have shape (%d,), got %s" % (n, y.shape))
        if not np.issubdtype(y.dtype, np.integer):
            if not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
                raise ValueError("y must hold integer class labels")
        y = y.astype(np.int64)
        if n and y.min() < 0:
            raise ValueError("labels must be >= 0, found %d" % y.min())
        arrays["y"] = y
    if Y is not None:
        Y = np.ascontiguousarray(Y, dtype=np.float64)
        if Y.ndim != 2 or Y.shape[0] != n:
            raise ValueError("Y must have shape (%d, K), got %s" % (n, Y.shape))
        if y is not None and n and y.max() >= Y.shape[1]:
            raise ValueError("label %d is outside 0..%d (K = %d columns of Y)" % (y.max(), Y.shape[1] - 1, Y.shape[1]))
        arrays["Y"] = Y
    np.savez(path, **arrays)


def load_dataset(path):
    """(X, y, Y) from an .npz as driftlab reads it; y or Y is None when absent."""
    with np.load(path) as f:
        if "X" not in f:
            raise ValueError("%s: no array 'X' (found %s)" % (path, sorted(f.keys())))
        return f["X"], (f["y"] if "y" in f else None), (f["Y"] if "Y" in f else None)


def save_theta(path, theta):
    """Writes θ as a flat float64 .npy, the layout of --params and of Network.loadParams."""
    np.save(path, np.ascontiguousarray(theta, dtype=np.float64).reshape(-1))


def load_theta(path):
    """A flat float64 θ from an .npy written by driftlab (theta_final_*.npy, --save-params) or by save_theta."""
    theta = np.load(path)
    if theta.ndim != 1 or theta.dtype != np.float64:
        raise ValueError("%s: expected a flat float64 vector, got %s %s" % (path, theta.dtype, theta.shape))
    return theta


def read_metrics(path):
    """metrics.csv as a DataFrame with the exact float64 values driftlab wrote.

    driftlab writes the shortest decimal that reads back as the same double. pandas' default converter before
    fast_float (pandas-dev/pandas#64432) is not correctly rounded: about a third of such decimals come back one
    unit in the last place off, hence float_precision="round_trip".
    """
    import pandas as pd
    return pd.read_csv(path, float_precision="round_trip")


def _describe(path):
    if path.endswith(".npz"):
        X, y, Y = load_dataset(path)
        print("X %s %s" % (X.dtype, X.shape))
        if y is not None:
            print("y %s %s, labels %d..%d" % (y.dtype, y.shape, y.min(), y.max()) if y.size else "y empty")
        if Y is not None:
            print("Y %s %s" % (Y.dtype, Y.shape))
    else:
        a = np.load(path)
        print("%s %s" % (a.dtype, a.shape))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "describe":
        print("usage: driftlab_io.py describe FILE.npz|FILE.npy", file=sys.stderr)
        sys.exit(2)
    _describe(sys.argv[2])
