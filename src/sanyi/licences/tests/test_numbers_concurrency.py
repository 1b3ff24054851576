"""Licence numbers stay unique and gapless when many licences are issued at once."""

import datetime as dt
import threading

import pytest
from django.db import connection

from sanyi.licences import services
from sanyi.licences.models import ELicence, LicenceCounter
from sanyi.licences.tests import factories as f


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_issues_never_share_a_number():
    w = f.world()
    cases = [f.case(w) for _ in range(16)]
    errors: list[BaseException] = []

    def worker(mine):
        try:
            for case in mine:
                services.licence_issue(
                    case=case,
                    name="许可证",
                    valid_from=dt.date(2026, 3, 2),
                    issued_on=dt.date(2026, 3, 2),
                    actor=f.SYSTEM,
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(cases[n::8],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    prefix = w["dept"].code
    numbers = sorted(ELicence.objects.values_list("number", flat=True))
    assert numbers == [f"{prefix}-2026-{n:06d}" for n in range(1, 17)]
    assert LicenceCounter.objects.get(unit=w["dept"], year=2026).last == 16
