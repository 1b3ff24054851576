"""The upgrade gives every existing case its own short number."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sanyi.cases.models import SHORT_NUMBER_ALPHABET

BEFORE = [("cases", "0006_case_short_number")]


@pytest.mark.django_db(transaction=True)
def test_existing_cases_get_unique_short_numbers(w):
    from sanyi.cases.tests import factories as f

    pks = [f.case(w, state="awaiting").pk for _ in range(6)]
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # back to before the fill: no case has a short number
    try:
        Case = executor.loader.project_state(BEFORE).apps.get_model("cases", "Case")
        assert set(Case.objects.filter(pk__in=pks).values_list("short_number", flat=True)) == {None}

        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

        from sanyi.cases.models import Case as CurrentCase

        numbers = list(
            CurrentCase.objects.filter(pk__in=pks).values_list("short_number", flat=True)
        )
        assert len(numbers) == 6 and len(set(numbers)) == 6
        for number in numbers:
            assert len(number) == 8 and set(number) <= set(SHORT_NUMBER_ALPHABET)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
