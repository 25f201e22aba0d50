"""Evaluate a lossfit fit (FIT.json) in Python, with numpy alone.

    import numpy as np, lossfit_fit
    fit = lossfit_fit.load("fit.json")
    rates = lossfit_fit.cosine(peak=3e-4, end=3e-5, warmup=2000, total=24000)   # or any array
    loss = fit.predict(rates, steps=[12000, 24000])                            # one loss per step

`rates` holds the learning rate of every step, index = step (rates[0] is the rate before the first
update), as lossfit's own schedules do; `steps` (default: every step 1 … len(rates) − 1) are where
the loss is wanted. The laws are computed as lossfit's Sources/ScalingLaws computes them:

annealing law (Tissue et al. 2024, arXiv 2408.11029, Eq. 1):
    L(s)  = L0 + A·S1(s)^(−α) − C·S2(s)
    S1(s) = Σ_{i=1..s} η_i
    S2(s) = Σ_{i=1..s} m_i,  m_i = λ·m_{i−1} + (η_{i−1} − η_i),  m_0 = 0
multi-power law (Luo et al. 2025, arXiv 2503.12811, Eq. 4):
    L(t)  = L0 + A·F(t)^(−α) − B·Σ_{k=1..t} (η_{k−1} − η_k)·G(η_k^(−γ)·(F(t) − F(k−1))),  F(t) = Σ_{τ=1..t} η_τ
    G(x)  = 1 − (C·x + 1)^(−β);  a step with η_k = 0 counts G = 1 once a later rate is positive, else 0
exponential forecast (AutoLRS, Jin et al. 2021):
    L(s)  = a·e^(b·s/stepScale) + c            (schedule-blind)
committee (lossfit's default fit):
    the median of its members' predictions at each step (the mean of the two middle ones for an
    even count)

The multi-power sum is taken term by term here. lossfit sums smooth stretches of a schedule by a
quadrature whose error is below 2e-5·B·Σ|η_{k−1} − η_k| in loss (a few 1e-6 for the published
fits); piecewise-constant schedules without warmup (constant, two-stage, multi-step) it sums
exactly, and there both agree to rounding. With `warmup: "peak"` in the law, every step before the peak is first
reached counts at the peak rate (the annealing-law paper's convention).

This module is part of lossfit (MIT licence); tests check it against `lossfit predict`.
"""

import json
import math

import numpy as np

__all__ = ["load", "Fit", "Law", "cosine", "constant", "effective_rates", "forward_area", "annealing_area"]


def load(path):
    """The fit stored in FIT.json at `path`."""
    with open(path) as f:
        return Fit(json.load(f))


class Law:
    """One fitted law: `kind` is "annealing", "multi-power" or "exponential", `parameters` its
    values as FIT.json stores them (l0, a, alpha, …)."""

    _keys = {"annealing": "annealing", "multi-power": "multiPower", "exponential": "exponential"}

    def __init__(self, holder):
        kind = holder.get("law")
        if kind not in self._keys:
            raise ValueError(f"unknown law {kind!r}; this module reads {', '.join(self._keys)}")
        self.kind = kind
        self.parameters = dict(holder[self._keys[kind]])

    def predict(self, rates, steps=None):
        """The predicted loss at `steps` of the per-step learning rates `rates`."""
        rates, steps = _checked(rates, steps)
        p = self.parameters
        if self.kind == "exponential":
            return p["a"] * np.exp(p["b"] * steps / p["stepScale"]) + p["c"]
        rates = effective_rates(rates, p.get("warmup", "literal"))
        if self.kind == "annealing":
            s1 = forward_area(rates)[steps]
            s2 = annealing_area(rates, p["lambda"])[steps]
            return p["l0"] + p["a"] * np.power(s1, -p["alpha"]) - p["c"] * s2
        area = forward_area(rates)
        drop = _loss_drop(rates, area, steps, p["c"], p["beta"], p["gamma"])
        return p["l0"] + p["a"] * np.power(area[steps], -p["alpha"]) - p["b"] * drop

    def __repr__(self):
        return f"Law({self.kind}, {self.parameters})"


class Fit:
    """A FIT.json fit: its law, or its committee of laws whose median predicts."""

    def __init__(self, document):
        self.document = document
        committee = document.get("committee")
        if committee is not None:
            if committee.get("combination") != "median":
                raise ValueError(f"unknown committee combination {committee.get('combination')!r}; this module reads median")
            self.members = [Law(member["fit"]) for member in committee["members"]]
            self.keys = [member["key"] for member in committee["members"]]
        else:
            self.members = [Law(document)]
            self.keys = [document["law"]]

    @property
    def is_committee(self):
        return self.document.get("committee") is not None

    def member_predictions(self, rates, steps=None):
        """Each member's prediction, one row per member (one row for a single law)."""
        return np.vstack([law.predict(rates, steps) for law in self.members])

    def predict(self, rates, steps=None):
        """The fit's predicted loss at `steps`: the law's, or the median of the committee's members."""
        return np.median(self.member_predictions(rates, steps), axis=0)


def effective_rates(rates, warmup="literal"):
    """The rates the areas are computed from: as given, or with every step before the peak is first
    reached at the peak (`warmup == "peak"`)."""
    rates = np.asarray(rates, dtype=float)
    if warmup == "literal":
        return rates
    peak = rates.max()
    if not peak > 0:
        return rates
    reached = int(np.argmax(rates >= peak * (1 - 1e-9)))
    adjusted = rates.copy()
    adjusted[:reached] = peak
    return adjusted


def forward_area(rates):
    """S1 (= F) at every step: Σ_{i=1..s} η_i, 0 at step 0."""
    area = np.cumsum(rates, dtype=float)
    return area - rates[0]


def annealing_area(rates, lam, block=256):
    """S2 at every step for momentum `lam` in (0, 1):

        S2(s) = (η_0 − η_s − λ·M(s)) / (1 − λ),   M(s) = Σ_{k≤s} (η_{k−1} − η_k)·λ^(s−k)

    M is computed in blocks of `block` steps (a matrix of powers within a block, one carry between
    blocks), so long schedules cost numpy products rather than a Python loop per step."""
    if not 0 < lam < 1:
        raise ValueError(f"lambda must lie in (0, 1), got {lam}")
    rates = np.asarray(rates, dtype=float)
    n = len(rates)
    changes = np.zeros(n)
    changes[1:] = rates[:-1] - rates[1:]
    blocks = -(-n // block)
    padded = np.zeros(blocks * block)
    padded[:n] = changes
    padded = padded.reshape(blocks, block)
    offsets = np.arange(block)
    exponents = offsets[:, None] - offsets[None, :]
    powers = np.where(exponents >= 0, np.power(lam, np.maximum(exponents, 0)), 0.0)
    local = padded @ powers.T
    decay = np.power(lam, offsets + 1)
    carried = np.empty(blocks)
    carry = 0.0
    full_decay = lam ** block
    for b in range(blocks):
        carried[b] = carry
        carry = carry * full_decay + local[b, -1]
    momentum = (local + carried[:, None] * decay[None, :]).reshape(-1)[:n]
    drop = rates[0] - rates
    return (drop - lam * momentum) / -math.expm1(math.log(lam))


def _loss_drop(rates, area, steps, c, beta, gamma):
    """Σ_{k=1..t} (η_{k−1} − η_k)·G(η_k^(−γ)·(F(t) − F(k−1))) at each of `steps`, term by term
    over the steps where the rate changes."""
    changes = rates[:-1] - rates[1:]
    k = np.nonzero(changes)[0] + 1
    weight = rates[k - 1] - rates[k]
    rate = rates[k]
    before = area[k - 1]
    zero = rate == 0
    scale = np.where(zero, 0.0, np.power(np.where(zero, 1.0, rate), -gamma))
    result = np.empty(len(steps))
    for index, t in enumerate(steps):
        upto = np.searchsorted(k, t, side="right")
        s_k = area[t] - before[:upto]
        pending = np.expm1(-beta * np.log1p(c * scale[:upto] * s_k))
        terms = np.where(zero[:upto], np.where(s_k > 0, weight[:upto], 0.0), -weight[:upto] * pending)
        result[index] = terms.sum()
    return result


def _checked(rates, steps):
    rates = np.asarray(rates, dtype=float)
    if rates.ndim != 1 or len(rates) < 2:
        raise ValueError("rates: give one learning rate per step, index = step (at least steps 0 and 1)")
    if not (np.all(np.isfinite(rates)) and np.all(rates >= 0)):
        raise ValueError("rates: learning rates must be finite and ≥ 0")
    steps = np.arange(1, len(rates)) if steps is None else np.asarray(steps, dtype=np.int64).reshape(-1)
    if len(steps) and (steps.min() < 0 or steps.max() >= len(rates)):
        raise ValueError(f"steps must lie in 0 … {len(rates) - 1} (one rate per step)")
    return rates, steps


def cosine(peak, total, end=0.0, warmup=0, start=0.0):
    """lossfit's `cosine:peak=…,end=…,warmup=…,total=…`: rates at steps 0 … total."""
    s = np.arange(total + 1, dtype=float)
    body = end + 0.5 * (peak - end) * (1 + np.cos(np.pi * (s - warmup) / (total - warmup)))
    return _with_warmup(body, s, peak, warmup, start)


def constant(peak, total, warmup=0, start=0.0):
    """lossfit's `constant:peak=…,warmup=…,total=…`: rates at steps 0 … total."""
    s = np.arange(total + 1, dtype=float)
    return _with_warmup(np.full(total + 1, float(peak)), s, peak, warmup, start)


def _with_warmup(body, s, peak, warmup, start):
    if warmup > 0:
        ramp = np.full(warmup, float(peak)) if warmup == 1 else start + (peak - start) * s[:warmup] / (warmup - 1)
        body = body.copy()
        body[:warmup] = ramp
    return body
