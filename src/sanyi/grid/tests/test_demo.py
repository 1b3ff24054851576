"""The demo shows grid work: 翠苑社区's four grids with two officers each, the address
mapping placing the demo applicants, and doorstep steps in 今日任务."""

import pytest
from django.core.management import call_command

from sanyi.grid import selectors
from sanyi.grid.models import AddressRule
from sanyi.orgs.models import OrgKind, OrgUnit, User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    from io import StringIO

    from django.db import transaction

    with django_db_blocker.unblock():
        out = StringIO()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", "load", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_grids_officers_and_mapping(loaded):
    grids = list(OrgUnit.objects.filter(kind=OrgKind.GRID, name__startswith="翠苑社区"))
    assert len(grids) == 4
    officers = selectors.grid_officers(grids)
    assert all(len(officers[g.pk]) == 2 for g in grids)
    assert AddressRule.objects.filter(grid__in=grids).count() >= 10
    for username in ("grid2a.grid", "grid4b.grid"):
        assert username in loaded
    assert selectors.grid_of_address("示范区翠苑路3号").name == "翠苑社区第一网格"
    assert selectors.grid_of_address("示范区翠苑路4号").name == "翠苑社区第二网格"


def test_todays_tasks_are_not_empty(loaded):
    with_tasks = [
        u
        for u in User.objects.filter(username__endswith=".grid")
        if selectors.grid_tasks(u).exists()
    ]
    assert with_tasks, "no grid officer has a doorstep task in the demo"
