import pytest
from django.template import Context, Template

from sanyi.orgs.tests import factories as f

pytestmark = pytest.mark.django_db


def test_history_url_points_at_the_objects_history_page():
    unit = f.district()

    html = Template("{% load workbench_shell %}{% history_url unit %}").render(
        Context({"unit": unit})
    )

    assert html == f"/workbench/history/orgs.orgunit/{unit.pk}/"
