"""Independent reference fit of the annealing law with scipy, for AnnealingFitTests.

Fits L(s) = L0 + A*S1^-alpha - C*S2(lambda) to the shared MPL runs cosine_24000, constant_24000
and wsdcon_9 with their exact schedules (../shared/README.md), literal warmup, lambda fitted,
Huber loss (delta = 1e-3) on log residuals summed over points, scipy.optimize.least_squares from
several starts. Run from the package root: python3 Tests/ScalingLawsTests/References/annealing_fit_scipy.py
"""
import numpy as np
from scipy.optimize import least_squares

W, P, E = 2160, 3e-4, 3e-5


def rates(name):
    s = np.arange((16000 if name.startswith("wsdcon") else 24000) + 1, dtype=float)
    lr = np.full(len(s), P)
    lr[:W] = P * s[:W] / (W - 1)
    T = len(s) - 1
    if name.startswith("cosine"):
        lr[W:] = E + 0.5 * (P - E) * (1 + np.cos(np.pi * (s[W:] - W) / (T - W)))
    if name == "wsdcon_9":
        lr[8000:] = 9e-5
    return lr


def areas(lr, steps, lam):
    s1 = np.cumsum(np.r_[0, lr[1:]])
    delta = np.r_[0, lr[:-1] - lr[1:]]
    m, acc, s2 = 0.0, 0.0, np.zeros(len(lr))
    for i in range(1, len(lr)):
        m = lam * m + delta[i]
        acc += m
        s2[i] = acc
    return s1[steps], s2[steps]


for size in ["25", "100"]:
    names = ["cosine_24000", "constant_24000", "wsdcon_9"]
    data = {n: np.loadtxt(f"../shared/data/mpl/{size}/{n}.csv", delimiter=",", skiprows=1) for n in names}
    cache = {}

    def residuals(p):
        L0, A, alpha, C, lam = p
        out = []
        for n in names:
            key = (n, lam)
            if key not in cache:
                cache[key] = areas(rates(n), data[n][:, 0].astype(int), lam)
            s1, s2 = cache[key]
            out.append(np.log(np.maximum(L0 + A * s1 ** -alpha - C * s2, 1e-9)) - np.log(data[n][:, 2]))
        return np.concatenate(out)

    best = None
    for alpha0 in [0.3, 0.5, 0.8]:
        for lam0 in [0.99, 0.999]:
            r = least_squares(residuals, [2.5, 0.5, alpha0, 100, lam0], bounds=([0, 0, 0.01, -1e6, 0.9], [10, 1e3, 3, 1e6, 0.99999]),
                              loss="huber", f_scale=1e-3, max_nfev=4000, xtol=1e-12, ftol=1e-12, gtol=1e-12)
            if best is None or r.cost < best.cost:
                best = r
    print(size, " ".join("%.6g" % v for v in best.x), "cost %.6g" % best.cost)
