"""A short seeded run of the fuzzer (``bench/fuzz.py``): the long one is ``python -m bench fuzz``.

Random edits over real files in every position encoding, code actions with resolve,
completions and cancellations; after every step the server's copy equals the client's,
returned edits name the right version and keep code compiling, and the tables stay small.
"""

from __future__ import annotations

from bench import fuzz


def test_short_fuzz_keeps_the_server_in_step_with_the_editor() -> None:
    # Bounded by steps, not seconds: the seeded walk is the same on a busy machine; the
    # 120 s guard only stops a run that stalls.
    reports = fuzz.run(seed=15, seconds=120, encodings=["utf-16", "utf-8", "utf-32"], max_steps=400)
    for report in reports:
        assert report.failures == [], report.encoding
        assert report.steps["incremental change"] > 50
        assert report.steps["code action request"] > 10
        assert report.steps["cancelled request"] > 5
        assert max(report.largest_tables.values()) <= 4
    assert sum(report.steps["fix checked"] for report in reports) > 0
