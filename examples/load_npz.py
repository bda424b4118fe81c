"""Loads the arrays of `logreg export MODEL --npz model.npz` with NumPy (no pickle) and checks their shapes.

Usage: python3 load_npz.py model.npz
Prints each array's name, dtype and shape, then the rule that turns raw pixels into scores.
"""
import sys

import numpy as np

with np.load(sys.argv[1], allow_pickle=False) as m:
    for name in m.files:
        print(name, m[name].dtype, m[name].shape)
    coef, intercept, classes = m["coef"], m["intercept"], m["classes"]
    rows, features = coef.shape
    assert coef.dtype == np.float32 and intercept.shape == (rows,), "coef is (rows, features), intercept (rows,)"
    assert m["scaler_offset"].shape == m["scaler_scale"].shape == (features,), "one offset and scale per feature"
    assert int(np.prod(m["image_shape"])) == features, "image_shape is height, width"
    assert rows == (1 if m["kind"] == "logistic" else len(classes)), "one row per class, one for a binary model"
    print("scores = ((pixels - scaler_offset) * scaler_scale) @ coef.T + intercept")
