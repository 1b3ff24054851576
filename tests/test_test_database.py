"""The test set-up itself: reference data survives transactional tests whatever connection
object a test ends up with (Playwright's event loop gives the main thread a new one)."""

import pytest
from django.db import connections

from sanyi.openness.models import Area


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_object_can_restore_the_reference_data():
    fresh = connections.create_connection("default")
    try:
        assert getattr(fresh, "_test_serialized_contents", None)
        assert '"model": "openness.area"' in fresh._test_serialized_contents
    finally:
        fresh.close()
    assert Area.objects.filter(code="P17").exists()
