"""Is condition A no slower than condition B? Timings taken in interleaved rounds.

Used by ``bench_browser.py`` for issue #12's "a slider step with control on is no slower
than with control off". One median per condition from one run moves by ~1 ms between runs
on the shared machine (bench/README.md), more than the difference in question, so a
benchmark run gives rounds, each timing both conditions back to back in one browser
session (order randomised), and the difference gets an interval:

- the estimate is the median of A's samples minus the median of B's (all rounds pooled);
- its 95 % interval comes from a bootstrap over rounds (rounds drawn with replacement,
  all of a drawn round's samples taken, both conditions together): what drifts between
  rounds (the machine's load) is resampled with the round, as it was measured;
- the verdict is "no slower" only when the interval's upper end is below the margin
  ``threshold_ms`` stated with the figures; "slower" when its lower end is above zero and
  the upper end not below the margin; else "not shown" (the run cannot tell).
"""
from __future__ import annotations

import random
import statistics
from collections.abc import Sequence

Rounds = Sequence[tuple[Sequence[float], Sequence[float]]]   # per round: (A samples, B samples)


def median_difference(rounds: Rounds) -> float:
    """Median of every A sample minus median of every B sample."""
    a = [x for ra, _ in rounds for x in ra]
    b = [x for _, rb in rounds for x in rb]
    return statistics.median(a) - statistics.median(b)


def bootstrap_interval(rounds: Rounds, draws: int = 2000, level: float = 0.95,
                       seed: int = 12) -> tuple[float, float]:
    """Percentile interval of ``median_difference`` with rounds resampled (see the module)."""
    if len(rounds) < 2:
        raise ValueError(f"a bootstrap over rounds needs at least 2 rounds, got {len(rounds)}")
    rng = random.Random(seed)
    stats = sorted(median_difference([rounds[rng.randrange(len(rounds))] for _ in rounds])
                   for _ in range(draws))
    tail = (1 - level) / 2
    return stats[int(tail * (draws - 1))], stats[int((1 - tail) * (draws - 1))]


def verdict(low: float, high: float, threshold_ms: float) -> str:
    """What an interval of A minus B (ms) says about "A is no slower than B"."""
    if high < threshold_ms:
        if low > 0:
            return (f"no slower (within {threshold_ms:g} ms), though measurably slower by "
                    f"{low:.2f}-{high:.2f} ms")
        return f"no slower (within {threshold_ms:g} ms)"
    if low > 0:
        return f"slower, by {low:.2f}-{high:.2f} ms"
    return f"not shown (the interval reaches {high:.2f} ms, the margin is {threshold_ms:g} ms)"


def summary(rounds: Rounds, threshold_ms: float) -> dict:
    """Medians, difference, interval and verdict, rounded for the report."""
    low, high = bootstrap_interval(rounds)
    a = [x for ra, _ in rounds for x in ra]
    b = [x for _, rb in rounds for x in rb]
    return {"on_median": round(statistics.median(a), 2), "off_median": round(statistics.median(b), 2),
            "on_minus_off": round(median_difference(rounds), 2),
            "ci95": [round(low, 2), round(high, 2)], "threshold_ms": threshold_ms,
            "verdict": verdict(low, high, threshold_ms),
            "off_round_medians": [round(statistics.median(rb), 2) for _, rb in rounds],
            "on_round_medians": [round(statistics.median(ra), 2) for ra, _ in rounds]}
