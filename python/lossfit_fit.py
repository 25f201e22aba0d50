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

The multi-power sum is computed as lossfit computes it (Sources/ScalingLaws/Laws/
MultiPowerLossDrop.swift, as of this module's version): the steps where the rate changes are
grouped into runs over which it moves one way (steps without change may lie between changes, as
in a staircase of rounded rates), each run is covered by dyadic blocks; a block of one or two
changes, or of at most 8 with steps of no change among them, is summed term by term, and a larger
block whose rates differ by at most a factor e, whose quarters change the rate by amounts within
a factor 2 of each other and whose areas F(t) − F(k−1) differ by at most a factor e^½ is summed by
the two-point Gauss rule of its weights η_{k−1} − η_k (η and F interpolated linearly between steps
at the nodes); other blocks are split in halves. This reproduces `lossfit predict` to rounding on
every schedule. The rule differs from the definition by less than 2e-5·B·Σ|η_{k−1} − η_k| in loss (a few 1e-6 for the
published fits) on smooth schedules; piecewise-constant ones it sums exactly. `exact=True` (on
`Fit.predict`, `Fit.member_predictions`, `Law.predict`) sums the definition term by term instead:
O(t) work per step, where the quadrature takes O(log t) blocks per step, in a Python loop.

With `warmup: "peak"` in the law, every step before the peak is first reached counts at the peak
rate (the annealing-law paper's convention).

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

    def predict(self, rates, steps=None, exact=False):
        """The predicted loss at `steps` of the per-step learning rates `rates`; `exact` sums the
        multi-power loss drop by its definition rather than by lossfit's quadrature."""
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
        loss_drop = _exact_loss_drop if exact else _quadrature_loss_drop
        drop = loss_drop(rates, area, steps, p["c"], p["beta"], p["gamma"])
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

    def member_predictions(self, rates, steps=None, exact=False):
        """Each member's prediction, one row per member (one row for a single law)."""
        return np.vstack([law.predict(rates, steps, exact) for law in self.members])

    def predict(self, rates, steps=None, exact=False):
        """The fit's predicted loss at `steps`: the law's, or the median of the committee's members.
        `exact` sums the multi-power loss drop by its definition (see the module's doc)."""
        return np.median(self.member_predictions(rates, steps, exact), axis=0)


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
    """S1 (= F) at every step: Σ_{i=1..s} η_i, 0 at step 0, accumulated in step order as lossfit does."""
    rates = np.asarray(rates, dtype=float)
    area = np.zeros(len(rates))
    np.cumsum(rates[1:], out=area[1:])
    return area


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


def _exact_loss_drop(rates, area, steps, c, beta, gamma):
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


def _quadrature_loss_drop(rates, area, steps, c, beta, gamma):
    """The multi-power loss drop at each of `steps` as lossfit sums it: Gauss nodes of the dyadic
    blocks of `_LossDropBlocks`, exact terms elsewhere (the same terms as `_exact_loss_drop`)."""
    blocks = _LossDropBlocks(rates, area)
    terms = [blocks.terms(int(t)) for t in steps]
    weight, rate, before = (np.asarray(column, dtype=float) for column in (blocks.weight, blocks.rate, blocks.before))
    zero = rate == 0
    scale = np.where(zero, 0.0, np.exp(-gamma * np.log(np.where(zero, 1.0, rate))))
    result = np.empty(len(steps))
    for index, t in enumerate(steps):
        q = np.asarray(terms[index], dtype=np.int64)
        s_k = area[t] - before[q]
        pending = np.expm1(-beta * np.log1p(c * scale[q] * s_k))
        result[index] = np.where(zero[q], np.where(s_k > 0, weight[q], 0.0), -weight[q] * pending).sum()
    return result


class _LossDropBlocks:
    """lossfit's quadrature nodes of the multi-power loss drop (MultiPowerLossDrop.swift, LossDropBlocks).

    A run is a stretch of steps over which η moves one way: its changes η_{k−1} − η_k share one
    sign, with steps of no change allowed between them (rates logged to a few digits form such a
    staircase); it spans its first change to its last. A run first…last is covered by the dyadic
    blocks of first … first + 2^depth − 1 (cut at last). For step t, a block a…b wholly at or before
    t that holds n changes is
        its changes one by one   when n ≤ 2, or n ≤ 8 with steps of no change among them;
        two Gauss nodes          when low > 0 and high ≤ e·low (η at its ends: low, high), its
                                 four quarters change η by amounts within a factor 2 of each
                                 other, and 0 < F(t) − F(b−1), F(t) − F(a−1) ≤ e^½·(F(t) − F(b−1));
    any other block is split in halves. A node is (weight, η, F(k − 1)); each is made once and
    shared by the steps that use it."""

    rate_ratio = math.exp(1.0)
    area_ratio = math.exp(0.5)
    change_ratio = 2.0
    exact_changes = 8

    def __init__(self, rates, area):
        self.rates = [float(r) for r in rates]
        self.area = [float(v) for v in area]
        changes = np.asarray(rates[:-1], dtype=float) - np.asarray(rates[1:], dtype=float)
        self.changes = np.concatenate([[0.0], changes])
        self.changed = np.nonzero(self.changes != 0)[0].tolist()
        # through[k]: how many steps ≤ k change the rate.
        self.through = np.cumsum(self.changes != 0).tolist()
        self.runs = []
        index = 0
        while index < len(self.changed):
            first = self.changed[index]
            rising = self.changes[first] < 0
            last = first
            index += 1
            while index < len(self.changed) and (self.changes[self.changed[index]] < 0) == rising:
                last = self.changed[index]
                index += 1
            depth = 0
            while (1 << depth) < last - first + 1:
                depth += 1
            self.runs.append((first, last, depth))
        self.weight, self.rate, self.before = [], [], []
        self._leaf = {}
        self._block_nodes = {}

    def terms(self, t):
        """The indices of the nodes of the loss drop at step t."""
        rates, area, terms = self.rates, self.area, []
        changed, through = self.changed, self.through
        area_at_t = area[t]
        rate_ratio, area_ratio = self.rate_ratio, self.area_ratio
        for number, (first, last, depth) in enumerate(self.runs):
            if first > t:
                break
            end = min(last, t)
            stack = [(1, first, 1 << depth)]
            while stack:
                heap, a, size = stack.pop()
                if a > end:
                    continue
                b = min(a + size - 1, last)
                if b <= end:
                    count = through[b] - through[a - 1]
                    if count <= 2 or (count <= self.exact_changes and count < b - a + 1):
                        terms.extend(self._leaf_node(changed[i]) for i in range(through[a - 1], through[b]))
                        continue
                    low, high = (rates[a], rates[b]) if rates[a] <= rates[b] else (rates[b], rates[a])
                    nearest = area_at_t - area[b - 1]
                    if (low > 0 and high <= rate_ratio * low and nearest > 0
                            and area_at_t - area[a - 1] <= area_ratio * nearest
                            and self._is_even(a, b)):
                        node = self._block_node(number, heap, a, b)
                        terms.extend((node, node + 1))
                        continue
                half = size // 2
                stack.append((2 * heap + 1, a + half, half))
                stack.append((2 * heap, a, half))
        return terms

    def _append(self, weight, rate, before):
        self.weight.append(weight)
        self.rate.append(rate)
        self.before.append(before)
        return len(self.weight) - 1

    def _leaf_node(self, k):
        node = self._leaf.get(k)
        if node is None:
            node = self._append(self.rates[k - 1] - self.rates[k], self.rates[k], self.area[k - 1])
            self._leaf[k] = node
        return node

    def _is_even(self, a, b):
        """Whether the four quarters of block a…b change η by amounts within `change_ratio` of each
        other (where they differ more, as at the start of a 1 − √p decay, the Gauss rule loses its
        order; quarters, so that a staircase of rounded rates counts as smooth where it is)."""
        quarter = (b - a + 1) // 4
        if quarter == 0:
            return False
        rates = self.rates
        amounts = [abs(rates[a + i * quarter - 1] - rates[b if i == 3 else a + (i + 1) * quarter - 1]) for i in range(4)]
        return max(amounts) <= self.change_ratio * min(amounts)

    def _block_node(self, run, heap, a, b):
        """The first of the two Gauss nodes of block a…b."""
        key = (run, heap)
        first = self._block_nodes.get(key)
        if first is None:
            rates, area = self.rates, self.area
            first = len(self.weight)
            for position, weight in _gauss_nodes(self.changes[a:b + 1]):
                # Linear interpolation between steps: η, and F(k − 1) whose slope is η_k.
                k = min(a + math.floor(position), b - 1)
                fraction = a + position - k
                self._append(weight, rates[k] + fraction * (rates[k + 1] - rates[k]), area[k - 1] + fraction * rates[k])
            self._block_nodes[key] = first
        return first


def _gauss_nodes(weights):
    """The two-point Gauss rule of the discrete measure Σ_j w_j·δ_j (j = 0, 1, …; all w_j of one
    sign): [(position, weight)] exact for cubics, at the roots of y² − (κ₃/σ²)·y − σ², y = j − mean."""
    weights = np.asarray(weights, dtype=float)
    j = np.arange(len(weights), dtype=float)
    total = weights.sum()
    mean = (weights * j).sum() / total
    y = j - mean
    variance = (weights * y * y).sum() / total
    third = (weights * y * y * y).sum() / total
    skew = third / variance
    root = math.sqrt(skew * skew + 4 * variance)
    low, high = (skew - root) / 2, (skew + root) / 2
    high_weight = total * -low / (high - low)
    return [(mean + low, total - high_weight), (mean + high, high_weight)]


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
