import pytest
from django.core.exceptions import ValidationError

from sanyi.audit.selectors import audit_history
from sanyi.search.models import Synonym
from sanyi.search.selectors import search_query
from sanyi.search.services import synonym_create, synonym_delete, synonym_update
from sanyi.search.tests.factories import ITEM, item

pytestmark = pytest.mark.django_db
ADMIN = "系统：测试"


def found(text) -> list[str]:
    return [h.title for h in search_query(text=text, kinds=[ITEM], log=False).hits]


def test_the_migration_seeds_at_least_twenty_everyday_phrases():
    seeded = dict(Synonym.objects.values_list("term", "expansions"))

    assert len(seeded) >= 20
    assert seeded["低保"] == ["最低生活保障"]
    assert "出生医学证明" in seeded["生孩子"]


def test_a_new_synonym_is_audited_and_takes_effect_after_commit(
    django_capture_on_commit_callbacks,
):
    item("居民死亡医学证明")
    assert found("开死亡证") == []

    with django_capture_on_commit_callbacks(execute=True):
        synonym = synonym_create(actor=ADMIN, term="开死亡证", expansions="死亡医学证明 / 火化证明")

    assert synonym.expansions == ["死亡医学证明", "火化证明"]
    assert found("开死亡证") == ["居民死亡医学证明"]
    event = audit_history(object_type="search.synonym", object_id=synonym.pk).get()
    assert event.action == "synonym.create"
    assert event.changes["term"] == [None, "开死亡证"]


def test_an_update_records_only_what_changed_and_a_deactivated_synonym_stops_working(
    django_capture_on_commit_callbacks,
):
    item("最低生活保障审批")
    synonym = Synonym.objects.get(term="低保")
    assert found("低保") == ["最低生活保障审批"]

    with django_capture_on_commit_callbacks(execute=True):
        synonym_update(actor=ADMIN, synonym=synonym, is_active=False)

    assert found("低保") == []
    event = audit_history(object_type="search.synonym", object_id=synonym.pk).get()
    assert event.changes == {"is_active": [True, False]}


def test_an_update_that_changes_nothing_writes_no_audit_row():
    synonym = Synonym.objects.get(term="低保")

    synonym_update(actor=ADMIN, synonym=synonym, expansions=["最低生活保障"])

    assert not audit_history(object_type="search.synonym", object_id=synonym.pk).exists()


def test_delete_is_audited_with_what_was_removed():
    synonym = Synonym.objects.get(term="医保")
    pk = synonym.pk

    synonym_delete(actor=ADMIN, synonym=synonym)

    assert not Synonym.objects.filter(pk=pk).exists()
    event = audit_history(object_type="search.synonym", object_id=pk).get()
    assert event.changes["term"] == ["医保", None]


@pytest.mark.parametrize(
    ("term", "expansions", "field"),
    [
        ("", ["户籍"], "term"),
        ("低保", ["最低生活保障"], "term"),  # already there
        ("上户", "", "expansions"),
        ("上户", ["户" * 31], "expansions"),
    ],
)
def test_bad_synonyms_are_refused_naming_the_field(term, expansions, field):
    with pytest.raises(ValidationError) as error:
        synonym_create(actor=ADMIN, term=term, expansions=expansions)

    assert field in error.value.message_dict
