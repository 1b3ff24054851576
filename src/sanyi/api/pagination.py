"""Paging for list endpoints: ``limit`` and ``offset``, with an upper bound on both."""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from sanyi.core.numbers import DB_INT_MAX


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    # One request must not be able to ask for the whole table.
    max_limit = 500
    limit_query_description = "每页条数，默认 50，最多 500"
    offset_query_description = "从第几条开始（从 0 起算）"

    def get_offset(self, request):
        # DRF accepts any size; the database cannot skip more rows than it can count.
        try:
            offset = int(request.query_params.get(self.offset_query_param, ""))
        except ValueError:
            offset = 0  # DRF reads anything unparsable as 0
        if offset > DB_INT_MAX:
            raise ValidationError({"offset": [f"起始位置（offset）不能超过{DB_INT_MAX}"]})
        return super().get_offset(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.offset_query_param:
                parameter["schema"]["maximum"] = DB_INT_MAX
            elif parameter["name"] == self.limit_query_param:
                parameter["schema"]["maximum"] = self.max_limit
        return parameters
