"""The short form of bench/load.py: real mixed traffic on gunicorn and PostgreSQL, one app
server and then two on one database; zero errors, zero double and zero lost bookings."""

from __future__ import annotations

import itertools
import random

from bench.load import kinds_to_send, run_load
from tests.ops.demo_database import seeded_demo_copy


# Two servers (a single one is the same run with less in it), on a copy of the run's seeded demo.
def test_mixed_load_has_no_errors_no_double_and_no_lost_bookings():
    with seeded_demo_copy() as url:
        report = run_load(url, duration=4, clients=8, servers=2, workers=2)
    assert report.total_errors == 0, report.error_samples
    assert report.double_bookings == 0 and report.lost_bookings == 0
    assert len(report.booked_ids) > 10
    assert all(len(report.latencies[name]) > 0 for name in report.latencies)
    assert len(report.latencies) == 9  # every kind of traffic was sent


def test_each_client_sends_every_kind_first_starting_at_its_own():
    names, weights = ["a", "b", "c"], [1, 1, 98]
    first_of_each = [
        next(kinds_to_send(names, weights, random.Random(0), first=n)) for n in range(4)
    ]
    assert first_of_each == ["a", "b", "c", "a"]
    sent = list(itertools.islice(kinds_to_send(names, weights, random.Random(0), first=1), 3 + 200))
    assert sent[:3] == ["b", "c", "a"]
    assert sent[3:].count("c") > 150  # then drawn by weight
