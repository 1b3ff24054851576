"""Warm-ups: what a server process loads before its first request (``sanyi.wsgi``)."""

import logging

import pytest

from sanyi.core import registry
from sanyi.search import lexicon
from sanyi.search import text as search_text


def test_every_warm_up_runs_and_a_failing_one_only_logs(monkeypatch, caplog):
    ran = []

    def broken():
        raise RuntimeError("no database yet")

    monkeypatch.setattr(
        registry, "WARM_UPS", {"first": lambda: ran.append(1), "broken": broken, "last": ran.clear}
    )

    with caplog.at_level(logging.ERROR):
        took = registry.run_warm_ups()

    assert set(took) == {"first", "last"}
    assert "warm-up broken failed" in caplog.text


def test_the_search_app_registers_its_warm_up():
    assert registry.WARM_UPS["search"] is lexicon.warm_up


@pytest.mark.django_db
def test_the_search_warm_up_loads_the_segmenter_and_the_domain_words(monkeypatch):
    monkeypatch.setattr(search_text, "_tokenizer", None)

    lexicon.warm_up()

    assert search_text._tokenizer is not None
