"""The history pages of a rating and of a rectification follow their scopes."""

import pytest
from django.urls import reverse

from sanyi.ratings.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "kind, seen_by",
    [("ratings.rating", "clerk"), ("ratings.rectification", "approver")],
)
def test_the_history_is_open_in_scope_only(world, client, kind, seen_by):
    rectification = f.rectified(world)
    pk = rectification.rating.pk if kind == "ratings.rating" else rectification.pk
    url = reverse("workbench:object_history", args=[kind, pk])

    client.force_login(world[seen_by])
    page = client.get(url)
    client.force_login(world["outsider"])
    hidden = client.get(url)

    assert page.status_code == 200
    assert hidden.status_code in (403, 404)
