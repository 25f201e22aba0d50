"""Independent reference for SweepLawReferenceTests: the sweep law of the shared Step Law sweep
computed with numpy/scipy from the method's definition, not from lossfit's code.

Per (N, D) group of ../shared/data/steplaw/dense_sweep.csv (batch = bs x 2048 tokens, loss =
"smooth loss"): take the runs within 2 % of the group's best loss (at least the best 20), fit a
full cubic in (ln lr, ln B) to ln loss by least squares (numpy.linalg.lstsq) in coordinates
centred on the middle of the runs' range and scaled by half of it, and minimise it inside that
range (scipy.optimize.minimize, L-BFGS-B, from the best point of a 41 x 41 grid). Then
ln lr* = c0 + a ln N + b ln D and ln B* = d0 + e ln D by numpy.linalg.lstsq. Also: the
leave-one-out error of every surrogate alternative (quadratic/cubic x 1/2/3/5 % bands) at the
runs the default cubic uses. Run from the package root:
    python3 Tests/HyperparameterLawsTests/References/sweep_law_numpy.py
"""
import csv
import collections
import warnings
import numpy as np
from scipy.optimize import fsolve, minimize

rows = list(csv.DictReader(open("../shared/data/steplaw/dense_sweep.csv")))
groups = collections.OrderedDict()
for r in rows:
    groups.setdefault((float(r["N"]), float(r["D"])), []).append(
        (float(r["lr"]), float(r["bs"]) * 2048, float(r["smooth loss"])))
keys = sorted(groups)


def basis(u, v, degree):
    cols = [np.ones_like(u), u, v, u * u, u * v, v * v]
    if degree == 3:
        cols += [u ** 3, u * u * v, u * v * v, v ** 3]
    return np.stack(cols, -1)


def selection(runs, degree, band):
    needed = 2 * (6 if degree == 2 else 10)
    order = np.argsort(runs[:, 2], kind="stable")
    best = runs[order[0], 2]
    in_band = [i for i in order if runs[i, 2] <= best * (1 + band)]
    return in_band if len(in_band) >= needed else list(order[:needed])


def fit(x, y, z, degree):
    cx, cy = (x.min() + x.max()) / 2, (y.min() + y.max()) / 2
    sx, sy = (x.max() - x.min()) / 2, (y.max() - y.min()) / 2
    c = np.linalg.lstsq(basis((x - cx) / sx, (y - cy) / sy, degree), z, rcond=None)[0]
    return lambda p, q: basis(np.asarray((p - cx) / sx), np.asarray((q - cy) / sy), degree) @ c, (cx, cy, sx, sy)


optima = []
for key in keys:
    runs = np.array(groups[key])
    used = selection(runs, 3, 0.02)
    x, y, z = np.log(runs[used, 0]), np.log(runs[used, 1]), np.log(runs[used, 2])
    p, (cx, cy, sx, sy) = fit(x, y, z, 3)
    g = np.linspace(-1, 1, 41)
    U, V = np.meshgrid(cx + sx * g, cy + sy * g, indexing="ij")
    i = np.argmin(p(U, V))
    start = [U.ravel()[i], V.ravel()[i]]
    res = minimize(lambda w: float(p(w[0], w[1])), start, method="L-BFGS-B",
                   bounds=[(cx - sx, cx + sx), (cy - sy, cy + sy)], options={"ftol": 1e-15, "gtol": 1e-12})
    # L-BFGS-B stops about 1e-6 short; polish on the gradient, exact by complex steps.
    grad = lambda w: [np.imag(p(w[0] + 1e-30j, w[1])).item() / 1e-30, np.imag(p(w[0], w[1] + 1e-30j)).item() / 1e-30]
    with warnings.catch_warnings():
        # fsolve complains once the gradient is zero to machine precision and cannot improve.
        warnings.simplefilter("ignore", RuntimeWarning)
        w = fsolve(grad, res.x, xtol=1e-12)
    assert abs(w[0] - cx) < sx and abs(w[1] - cy) < sy
    optima.append(w)
    print(f"({key[0]:.0f}, {key[1]:.0f}): lr* = {np.exp(w[0]):.10g}, B* = {np.exp(w[1]):.10g}, runs used {len(used)}")

optima = np.array(optima)
lnN, lnD = np.log([k[0] for k in keys]), np.log([k[1] for k in keys])
lr = np.linalg.lstsq(np.stack([np.ones(len(keys)), lnN, lnD], 1), optima[:, 0], rcond=None)[0]
bs = np.linalg.lstsq(np.stack([np.ones(len(keys)), lnD], 1), optima[:, 1], rcond=None)[0]
print(f"learning-rate law (ln c0, a_N, a_D): [{lr[0]:.10g}, {lr[1]:.10g}, {lr[2]:.10g}]")
print(f"batch-size law (ln d0, e_D): [{bs[0]:.10g}, {bs[1]:.10g}]")

for degree in (2, 3):
    for band in (0.01, 0.02, 0.03, 0.05):
        errors = []
        for key in keys:
            runs = np.array(groups[key])
            evaluated = selection(runs, 3, 0.02)
            used = selection(runs, degree, band)
            for left in evaluated:
                t = [i for i in used if i != left]
                p, _ = fit(np.log(runs[t, 0]), np.log(runs[t, 1]), np.log(runs[t, 2]), degree)
                errors.append(float(p(np.log(runs[left, 0]), np.log(runs[left, 1]))) - np.log(runs[left, 2]))
        print(f"degree {degree}, band {band}: held-out RMS {np.sqrt(np.mean(np.square(errors))):.10g} over {len(errors)}")
