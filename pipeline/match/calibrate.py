"""Calibrate match probabilities on labelled pairs (isotonic regression by pooling).

Fellegi-Sunter probabilities assume independent comparisons; name keys, skeletons and
phonetic codes are not independent, so raw probabilities are over-confident. Training
with labels fits a monotone map from match weight to the observed share of true pairs,
stored as ``calibration.json`` in the model directory and applied at scoring time.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

CALIBRATION_FILE = "calibration.json"
MIN_BLOCK = 20  # pairs per pooled block, so that sparse tails do not give 0 or 1


@dataclass(frozen=True)
class Calibration:
    """Knots of a monotone, piecewise-linear map from match weight to probability."""

    weights: tuple[float, ...]
    probabilities: tuple[float, ...]

    def apply(self, weight: pl.Expr) -> pl.Expr:
        xs = np.asarray(self.weights)
        ys = np.asarray(self.probabilities)
        return weight.map_batches(
            lambda s: pl.Series(np.interp(s.to_numpy(), xs, ys)), return_dtype=pl.Float64
        )

    def weight_floor(self, probability: float) -> float | None:
        """A match weight below which no pair reaches ``probability`` after calibration."""
        for i, p in enumerate(self.probabilities):
            if p >= probability:
                return self.weights[i - 1] if i else None
        return self.weights[-1]

    def to_json(self) -> str:
        return json.dumps({"weights": self.weights, "probabilities": self.probabilities})


def load_calibration(path: Path) -> Calibration | None:
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    return Calibration(tuple(data["weights"]), tuple(data["probabilities"]))


def _pool(values: list[float], counts: list[int]) -> tuple[list[float], list[int], list[int]]:
    """Pool adjacent violators; return block means, sizes and start indices."""
    means: list[float] = []
    sizes: list[int] = []
    starts: list[int] = []
    for i, (value, count) in enumerate(zip(values, counts, strict=True)):
        means.append(value)
        sizes.append(count)
        starts.append(i)
        while len(means) > 1 and (means[-2] >= means[-1] or sizes[-2] < MIN_BLOCK):
            total = sizes[-2] + sizes[-1]
            means[-2] = (means[-2] * sizes[-2] + means[-1] * sizes[-1]) / total
            sizes[-2] = total
            means.pop()
            sizes.pop()
            starts.pop()
    return means, sizes, starts


def fit_calibration(weights: np.ndarray, is_true: np.ndarray) -> Calibration:
    """Fit an increasing map weight → P(true) on labelled candidate pairs."""
    order = np.argsort(weights, kind="stable")
    w = weights[order].astype(float)
    y = is_true[order].astype(float)
    means, sizes, _ = _pool(list(y), [1] * len(y))
    edges = np.cumsum([0, *sizes])
    centres = [float(np.mean(w[a:b])) for a, b in itertools.pairwise(edges)]
    # Shrink away from 0 and 1 so that no pair is ever certain.
    probs = [(m * n + 0.5) / (n + 1.0) for m, n in zip(means, sizes, strict=True)]
    return Calibration(tuple(centres), tuple(float(p) for p in np.maximum.accumulate(probs)))
