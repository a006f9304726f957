"""Calibrated noise for published trend figures: the discrete Laplace mechanism from OpenDP.

Why noise at all: rules on counts (a minimum group, complementary suppression) stop a manager from isolating one
person by subtracting figures, but not k−1 members of a group pooling their own ratings, nor a group that all
gave the same rating. Noise drawn once and frozen with the figure leaves every rating possible whatever else is
known: ε-differential privacy per rating, where one rating (1 to 5) moves a group's sum by at most 4.

Why OpenDP (pre-1.0): its integer Laplace sampler is exact (no floating-point leak, Mironov 2012), it is
maintained by the OpenDP project at Harvard with a published proof for each mechanism, and we use one stable
call here. diffprivlib samples with floating point and calls itself research-grade. Pin a minor version and
re-read the changelog when it moves.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

RATING_SPAN = 4  # ratings run 1..5: replacing one changes a sum by at most 4
DEFAULT_EPSILON = 1.0


class LaplaceNoise:
    """Adds independent discrete Laplace noise of scale RATING_SPAN / ε to integer sums."""

    def __init__(self, epsilon: float = DEFAULT_EPSILON) -> None:
        if not 0 < epsilon <= 10:
            raise ValueError("epsilon must be above 0 and at most 10")
        self.epsilon = epsilon
        self.scale = RATING_SPAN / epsilon
        self._measurement: Callable[[list[int]], list[int]] | None = None

    def __call__(self, sums: Sequence[int]) -> list[int]:
        if not sums:
            return []
        return [int(v) for v in self._mechanism()([int(s) for s in sums])]

    def _mechanism(self) -> Callable[[list[int]], list[int]]:
        """The OpenDP measurement, built once. Loaded only when figures are published (a compiled library), and
        from its own modules: `opendp.prelude` also imports its scikit-learn, Polars and other extras, which took
        seconds of a manager's first view."""
        if self._measurement is None:
            from opendp.domains import atom_domain, vector_domain
            from opendp.measurements import make_laplace
            from opendp.metrics import l1_distance
            from opendp.mod import enable_features

            enable_features("contrib")  # OpenDP asks callers to opt in to mechanisms outside its vetted core
            self._measurement = make_laplace(vector_domain(atom_domain(T=int)), l1_distance(T=int), scale=self.scale)
        return self._measurement

    def margin(self, people: int, draws: int = 1) -> float:
        """Half-width in which about 95% of a mean's noise falls: `draws` noisy sums added, over `people`."""
        deviation = math.sqrt(2 * draws) * self.scale  # a discrete Laplace draw has variance ≈ 2·scale²
        return round(2 * deviation / people, 1)
