"""Request numbers stay unique when many requests arrive at once (row lock on the counter)."""

import threading

import pytest
from django.db import connection, transaction

from sanyi.disclosure_requests.models import RequestCounter
from sanyi.disclosure_requests.services import allocate_number
from sanyi.orgs.models import OrgKind
from sanyi.orgs.tests import factories as org_f


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_allocations_never_share_a_number():
    agency = org_f.unit(org_f.district(), OrgKind.DEPARTMENT, uscc=org_f.unique_uscc())
    numbers: list[str] = []
    errors: list[BaseException] = []

    def worker():
        try:
            for _ in range(5):
                with transaction.atomic():
                    numbers.append(allocate_number(agency, 2026))
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
    assert sorted(numbers)[-1] == f"GK2026-{agency.pk:04d}-00040"
    assert RequestCounter.objects.get(agency=agency, year=2026).last == 40
