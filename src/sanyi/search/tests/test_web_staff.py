"""The synonym pages and the searches that went wrong, in the workbench."""

import pytest
from django.urls import reverse

from sanyi.audit.selectors import audit_history
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as orgs
from sanyi.search.models import Synonym
from sanyi.search.selectors import search_query
from sanyi.search.tests.factories import ITEM, item

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"workbench:search:{name}", args=args)


@pytest.fixture
def admin(client):
    user = orgs.staff(orgs.district(), Role.CATALOG_ADMIN)
    client.force_login(user)
    return user


def test_the_list_finds_by_term_or_official_term_and_by_state(client, admin):
    Synonym.objects.filter(term="低保").update(is_active=False)

    by_term = client.get(url("synonyms"), {"q": "低保"}).context["page"].object_list
    by_expansion = client.get(url("synonyms"), {"q": "最低生活保障"}).context["page"]
    inactive = client.get(url("synonyms"), {"state": "inactive"}).context["page"]

    assert {s.term for s in by_term} >= {"低保", "低保户", "吃低保"}
    assert "低保" in {s.term for s in by_expansion.object_list}
    assert [s.term for s in inactive.object_list] == ["低保"]


def test_the_list_costs_the_same_queries_for_fifty_rows(
    client, admin, django_assert_max_num_queries
):
    client.get(url("synonyms"))
    with django_assert_max_num_queries(8):
        response = client.get(url("synonyms"))
    assert len(response.context["page"].object_list) == 50


def test_adding_a_synonym_is_audited_and_found_at_once(
    client, admin, django_capture_on_commit_callbacks
):
    item("居民死亡医学证明")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("synonym_create"),
            {"term": "开死亡证", "expansions": "死亡医学证明\n火化证明", "is_active": "on"},
        )

    assert response.status_code == 302
    synonym = Synonym.objects.get(term="开死亡证")
    assert synonym.expansions == ["死亡医学证明", "火化证明"]
    assert (
        audit_history(object_type="search.synonym", object_id=synonym.pk).get().actor_id == admin.pk
    )
    found = search_query(text="开死亡证", kinds=[ITEM], log=False)
    assert [h.title for h in found.hits] == ["居民死亡医学证明"]


def test_a_duplicate_term_is_refused_on_the_field_and_nothing_is_saved(client, admin):
    response = client.post(url("synonym_create"), {"term": "低保", "expansions": "救助"})

    assert response.status_code == 200
    assert "已经有同义词设置" in str(response.context["form"].errors["term"])
    assert Synonym.objects.get(term="低保").expansions == ["最低生活保障"]


def test_editing_deactivating_and_deleting(client, admin):
    synonym = Synonym.objects.get(term="低保")

    client.post(
        url("synonym_edit", synonym.pk),
        {"term": "低保", "expansions": "最低生活保障 / 低保边缘", "is_active": "on"},
    )
    synonym.refresh_from_db()
    assert synonym.expansions == ["最低生活保障", "低保边缘"]

    client.post(url("synonym_toggle", synonym.pk))
    synonym.refresh_from_db()
    assert synonym.is_active is False

    client.post(url("synonym_delete", synonym.pk))
    assert not Synonym.objects.filter(pk=synonym.pk).exists()
    actions = [e.action for e in audit_history(object_type="search.synonym", object_id=synonym.pk)]
    assert sorted(actions) == ["synonym.delete", "synonym.update", "synonym.update"]


def test_the_form_is_prefilled_with_the_word_residents_typed(client, admin):
    response = client.get(url("synonym_create"), {"term": "开小卖部", "back": "demand"})

    assert response.context["form"].initial["term"] == "开小卖部"
    assert 'value="开小卖部"' in response.content.decode()


def test_the_demand_page_lists_zero_and_poor_results_with_a_one_step_synonym_link(client, admin):
    item("特困人员救助供养申请", body="户籍在本区的老年人")
    for text in ["老年人", "火星", "低保"]:
        search_query(text=text, kinds=[ITEM], prefer_titles=True)

    response = client.get(url("demand"))

    rows = {
        row.text: (row.zero_result_count, row.poor_result_count, syn)
        for row, syn in response.context["rows"]
    }
    assert rows["老年人"] == (0, 1, None)
    assert rows["火星"] == (1, 0, None)
    assert rows["低保"][2] == Synonym.objects.get(term="低保").pk  # found nothing: edit it
    html = response.content.decode()
    assert url("synonym_create") + "?term=%E7%81%AB%E6%98%9F&amp;back=demand" in html
    assert url("synonym_edit", rows["低保"][2]) in html


@pytest.mark.parametrize("role", [Role.WINDOW_CLERK, Role.DISCLOSURE_OFFICER])
def test_other_staff_cannot_edit_synonyms(client, role):
    client.force_login(orgs.staff(orgs.district(), role))
    synonym = Synonym.objects.get(term="低保")

    assert client.get(url("synonyms")).status_code == 403
    assert client.post(url("synonym_delete", synonym.pk)).status_code == 403
    assert Synonym.objects.filter(pk=synonym.pk).exists()


def test_a_disclosure_officer_reads_the_demand_page_without_edit_links(client):
    client.force_login(orgs.staff(orgs.district(), Role.DISCLOSURE_OFFICER))
    search_query(text="火星", kinds=[ITEM])

    response = client.get(url("demand"))

    assert response.status_code == 200
    assert response.context["can_edit"] is False
    assert "添加同义词" not in response.content.decode()


def test_the_tile_is_registered_for_catalogue_and_system_admins():
    from sanyi.core.registry import tiles

    tile = next(t for t in tiles() if t.url_name == "workbench:search:synonyms")
    assert tile.roles == {Role.CATALOG_ADMIN, Role.SYSTEM_ADMIN}


def test_the_synonym_page_shows_the_query_log_beside_the_editor_with_one_click_add(
    client, admin, django_assert_max_num_queries
):
    item("特困人员救助供养申请", body="户籍在本区的老年人")
    for text in ["老年人", "火星", "火星", "低保", "特困"]:
        search_query(text=text, kinds=[ITEM], prefer_titles=True)
    client.get(url("synonyms"))

    with django_assert_max_num_queries(12):
        response = client.get(url("synonyms"))

    top = {row.text: (row.count, syn) for row, syn in response.context["top_rows"]}
    poor = {row.text for row, _ in response.context["poor_rows"]}
    assert top["火星"] == (2, None) and "特困" in top
    assert top["低保"][1] == Synonym.objects.get(term="低保").pk
    assert {"老年人", "火星"} <= poor
    assert "特困" not in poor
    html = response.content.decode()
    add = url("synonyms") + "?term=%E7%81%AB%E6%98%9F#add-synonym"
    assert add in html and "加为同义词" in html

    # one click on "加为同义词": the editor is filled with the word residents typed
    filled = client.get(url("synonyms"), {"term": "火星"})
    assert filled.context["editor"].initial["term"] == "火星"
    page = filled.content.decode()
    editor = page[
        page.index('id="add-synonym"') : page.index("</section>", page.index('id="add-synonym"'))
    ]
    assert 'value="火星"' in editor
    assert f'action="{url("synonym_create")}"' in editor
