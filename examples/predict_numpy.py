# Classify IDX images with the arrays of `logreg export MODEL --npz model.npz` (NumPy only).
import gzip, sys
import numpy as np

m = np.load(sys.argv[1])  # coef, intercept, classes, scaler_offset, scaler_scale, kind, image_shape[, threshold]
raw = (gzip.open if sys.argv[2].endswith(".gz") else open)(sys.argv[2], "rb").read()
x = np.frombuffer(raw, np.uint8, offset=16).reshape(-1, m["coef"].shape[1]).astype(np.float32)
z = ((x - m["scaler_offset"]) * m["scaler_scale"]) @ m["coef"].T + m["intercept"]  # scores
if m["kind"] == "logistic":  # binary: class 1 when p >= threshold
    t = float(m["threshold"])
    label = (z[:, 0] >= np.float32(np.log(t / (1 - t)))).astype(int)
else:  # softmax and one-vs-rest: the highest score, the first of equal ones
    label = z.argmax(axis=1)
print(*label[:int(sys.argv[3]) if len(sys.argv) > 3 else None])
