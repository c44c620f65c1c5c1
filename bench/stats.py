"""Small statistics and table printing shared by the benchmarks."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    """Median and spread of a list of samples (seconds)."""

    label: str
    samples: Sequence[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def low(self) -> float:
        return min(self.samples)

    @property
    def high(self) -> float:
        return max(self.samples)

    def percentile(self, fraction: float) -> float:
        """The sample at ``fraction`` (0..1) of the sorted samples (nearest rank)."""
        ordered = sorted(self.samples)
        index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
        return ordered[index]


def print_table(summaries: Sequence[Summary], baseline: Summary | None = None) -> None:
    """Print one row per summary in milliseconds, with the ratio of medians to ``baseline``."""
    header = f"{'what':<44} {'runs':>5} {'median ms':>10} {'p95 ms':>9} {'min..max ms':>17}"
    if baseline is not None:
        header += f" {'ratio':>7}"
    print(header)
    print("-" * len(header))
    for summary in summaries:
        row = (
            f"{summary.label:<44} {len(summary.samples):>5} {summary.median * 1000:>10.1f} "
            f"{summary.percentile(0.95) * 1000:>9.1f} "
            f"{f'{summary.low * 1000:.1f}..{summary.high * 1000:.1f}':>17}"
        )
        if baseline is not None:
            row += f" {summary.median / baseline.median:>7.2f}"
        print(row)
