import pytest


@pytest.fixture
def world(db):
    """Two issuing departments, a holder, and staff on every side of the rules (see
    ``factories.world``)."""
    from sanyi.licences.tests.factories import world

    return world()
