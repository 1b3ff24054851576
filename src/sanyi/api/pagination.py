"""Paging for list endpoints: ``limit`` and ``offset``, with an upper bound on ``limit``."""

from rest_framework import pagination


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    # One request must not be able to ask for the whole table.
    max_limit = 500
    limit_query_description = "每页条数，默认 50，最多 500"
    offset_query_description = "从第几条开始（从 0 起算）"
