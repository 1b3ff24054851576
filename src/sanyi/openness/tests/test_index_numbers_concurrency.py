"""Index numbers stay unique when many publishes run at once (row lock on the counter)."""

import threading

import pytest
from django.db import connection, transaction

from sanyi.openness.models import IndexCounter
from sanyi.openness.services import allocate_index_number
from sanyi.orgs.tests import factories as org_f


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_allocations_never_share_a_number():
    unit = org_f.district(uscc=org_f.unique_uscc())
    numbers: list[str] = []
    errors: list[BaseException] = []

    def worker():
        try:
            for _ in range(5):
                with transaction.atomic():
                    numbers.append(allocate_index_number(unit, 2026))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(numbers) == len(set(numbers)) == 40
    assert sorted(numbers)[-1] == f"{unit.uscc}/2026-00040"
    assert IndexCounter.objects.get(prefix=unit.uscc, year=2026).last == 40
