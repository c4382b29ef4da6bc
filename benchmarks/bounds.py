"""The figures every benchmark prints the same way: the 95% upper bound that an error rate measured on
``n`` cases supports (one-sided, Clopper-Pearson), and percentiles.

With 0 errors in n cases it is 1 - 0.05**(1/n), about 3/n for large n (the "rule of three"); it is
never above 1. Every benchmark prints it beside a rate, so that no figure claims more than its data.

>>> round(upper_bound(0, 1000), 5)
0.00299
>>> upper_bound(0, 1)
0.95
>>> upper_bound(3, 3)
1.0
"""

from __future__ import annotations

import numpy as np
from scipy.stats import beta


def upper_bound(errors: int, n: int) -> float:
    """One-sided 95% Clopper-Pearson upper bound of an error rate seen ``errors`` times in ``n`` cases."""
    return 1.0 if n == 0 or errors >= n else float(beta.ppf(0.95, errors + 1, n - errors))


def percentile(values: list[float], share: float) -> float:
    """The value at ``share`` (0..1) of ``values``, taken at the next measured value up (never
    interpolated below one: a p99 latency is a latency that was seen); NaN when there are none.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 0.5), percentile([5.0], 0.99)
    (3.0, 5.0)
    """
    return float(np.percentile(values, 100 * share, method="higher")) if values else float("nan")
