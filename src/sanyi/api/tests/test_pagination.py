from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from sanyi.api.pagination import LimitOffsetPagination


def limit_for(query: dict) -> int | None:
    return LimitOffsetPagination().get_limit(Request(APIRequestFactory().get("/", query)))


def test_one_page_is_capped_at_500_rows():
    assert limit_for({"limit": 100000}) == 500


def test_the_default_page_is_50_rows():
    assert limit_for({}) == 50
