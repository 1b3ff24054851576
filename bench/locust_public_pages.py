"""Locust user for ``bench_public_pages.py``: GETs one page (BENCH_PATH) again and again,
without pause, optionally with extra headers (BENCH_HEADERS, JSON: an If-None-Match for
the 304 row). Run by the bench, one page at a time, 16 users in headless mode."""

import json
import os

from locust import FastHttpUser, constant, task

PATH = os.environ.get("BENCH_PATH", "/")
HEADERS = json.loads(os.environ.get("BENCH_HEADERS", "{}"))
EXPECTED = int(os.environ.get("BENCH_STATUS", "200"))


class Visitor(FastHttpUser):
    wait_time = constant(0)

    @task
    def page(self) -> None:
        with self.client.get(PATH, headers=HEADERS, name=PATH, catch_response=True) as response:
            if response.status_code != EXPECTED:
                response.failure(f"status {response.status_code}, expected {EXPECTED}")
