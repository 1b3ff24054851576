import pytest
from django.contrib.admin.sites import AdminSite
from django.test import RequestFactory

from sanyi.audit.selectors import audit_history
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as orgs
from sanyi.search.admin import SynonymAdmin, SynonymForm
from sanyi.search.models import Synonym

pytestmark = pytest.mark.django_db


def admin_request(user):
    request = RequestFactory().post("/admin/search/synonym/add/")
    request.user = user
    return request


def test_saving_in_the_admin_goes_through_the_audited_service():
    user = orgs.staff(orgs.district(), Role.CATALOG_ADMIN)
    model_admin = SynonymAdmin(Synonym, AdminSite())
    form = SynonymForm(
        data={
            "term": "开网店",
            "expansions_text": "个体工商户登记\n电子商务经营者登记",
            "is_active": "on",
            "note": "",
        }
    )
    assert form.is_valid(), form.errors

    model_admin.save_model(admin_request(user), form.save(commit=False), form, change=False)

    synonym = Synonym.objects.get(term="开网店")
    assert synonym.expansions == ["个体工商户登记", "电子商务经营者登记"]
    event = audit_history(object_type="search.synonym", object_id=synonym.pk).get()
    assert event.actor == user


def test_the_form_refuses_an_empty_expansion_list():
    form = SynonymForm(data={"term": "开网店", "expansions_text": " / ", "is_active": "on"})

    assert not form.is_valid()
    assert "expansions_text" in form.errors


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.CATALOG_ADMIN, True), (Role.SYSTEM_ADMIN, True), (Role.WINDOW_CLERK, False)],
)
def test_only_catalogue_and_system_admins_edit_synonyms(role, allowed):
    user = orgs.staff(orgs.district(), role)

    assert SynonymAdmin(Synonym, AdminSite()).has_change_permission(admin_request(user)) is allowed
