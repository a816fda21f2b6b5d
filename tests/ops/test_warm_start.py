"""A gunicorn server warms each worker before it takes a request (gunicorn.conf.py's
post_worker_init, sharing.warm_up): once /healthz answers, the worker has said so in its log,
and the first need read with its suggestions does not wait for jieba's dictionary."""

from __future__ import annotations

import re
import time

import pytest

from bench.servers import gunicorn
from tests.ops.support import http


@pytest.mark.sqlite_only  # about gunicorn's start, not the database: once is enough
def test_each_worker_warms_up_before_it_answers(database_url, tmp_path):
    with gunicorn(database_url, workers=1, log_dir=tmp_path) as server:
        log = server.log()
        started = time.perf_counter()
        status, _headers, _body = http(f"{server.url}/instruments?q=%E7%94%B5%E9%95%9C")
        first_search = time.perf_counter() - started
    assert "warmed in" in log and "tokenizer, matching" in log
    # What the worker keeps for its life is out of the cycle collector's full passes.
    frozen = re.search(r"heap settled: (\d+) objects kept out of collection", log)
    assert frozen and int(frozen[1]) > 100_000, log
    assert status == 200
    assert first_search < 3  # generous: a cold worker took seconds on a loaded machine
