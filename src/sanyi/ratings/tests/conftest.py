import pytest


@pytest.fixture
def world(db):
    """One district with a handling department, a community window and staff on every side
    of the rules (see ``factories.world``)."""
    from sanyi.ratings.tests.factories import world

    return world()
