"""Fees per 国办函〔2020〕109号: tiers by hand and as properties (integer yuan, exact)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanyi.disclosure_requests import fees


@pytest.mark.parametrize(
    ("ordinal", "fee"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300),
     (51, 400), (61, 500)],
)  # fmt: skip
def test_per_item_fee_by_hand(ordinal, fee):
    assert fees.per_item_fee(ordinal) == fee


def test_per_item_totals_by_hand():
    assert fees.per_item_total(10) == 0
    assert fees.per_item_total(30) == 20 * 100
    assert fees.per_item_total(35) == 20 * 100 + 5 * 200
    assert fees.per_item_total(45) == 20 * 100 + 10 * 200 + 5 * 300


@pytest.mark.parametrize(
    ("pages", "fee"),
    [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740),
     (250, 2700 + 50 * 40)],
)  # fmt: skip
def test_per_page_fee_by_hand(pages, fee):
    assert fees.per_page_fee(pages) == fee


@given(st.integers(min_value=1, max_value=2000))
def test_per_item_fee_is_the_band_price(n):
    fee = fees.per_item_fee(n)
    assert isinstance(fee, int)
    if n <= 10:
        assert fee == 0
    elif n <= 30:
        assert fee == 100
    else:
        band = (n - 31) // 10  # 0 for 31–40, 1 for 41–50, …
        assert fee == 200 + 100 * band
        assert fees.per_item_fee(n) >= fees.per_item_fee(n - 1)


@given(st.integers(min_value=0, max_value=1000))
def test_per_item_total_adds_one_application_at_a_time(n):
    assert fees.per_item_total(n + 1) - fees.per_item_total(n) == fees.per_item_fee(n + 1)


@given(st.integers(min_value=0, max_value=5000))
def test_per_page_fee_marginal_price_of_each_page(pages):
    step = fees.per_page_fee(pages + 1) - fees.per_page_fee(pages)
    page = pages + 1
    expected = 0 if page <= 30 else 10 if page <= 100 else 20 if page <= 200 else 40
    assert step == expected
    assert isinstance(fees.per_page_fee(pages), int)


def test_bad_counts_are_refused():
    with pytest.raises(ValueError):
        fees.per_item_fee(0)
    with pytest.raises(ValueError):
        fees.per_page_fee(-1)
    with pytest.raises(TypeError):
        fees.per_page_fee(1.5)
