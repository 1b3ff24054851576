"""A licence's history page is open to staff who see the licence, and to no one else."""

import pytest
from django.urls import reverse

from sanyi.licences.tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_history_of_a_licence_follows_its_scope(world, client):
    licence = f.revoked(world)
    url = reverse("workbench:object_history", args=["licences.elicence", licence.pk])

    client.force_login(world["clerk"])
    page = client.get(url)
    client.force_login(world["outsider"])
    hidden = client.get(url)

    assert page.status_code == 200 and "证照被依法撤销" in page.content.decode()
    assert hidden.status_code in (403, 404)
