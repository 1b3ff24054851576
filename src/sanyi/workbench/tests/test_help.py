"""Help panels kept as data, one per workbench page, and the first-visit walkthrough."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sanyi.orgs.models import Role, User
from sanyi.orgs.services import staff_walkthrough_dismiss
from sanyi.orgs.tests import factories as f
from sanyi.workbench import help as page_help


def _workbench_url_names() -> set[str]:
    def walk(patterns, prefix, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace + (f"{p.namespace}:" if p.namespace else "")
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name:
                yield prefix + str(p.pattern), namespace + p.name

    return {
        name
        for path, name in walk(get_resolver().url_patterns, "", "")
        if path.startswith("workbench/")
    }


def test_every_workbench_url_name_has_help_or_is_listed_as_not_a_page():
    pages, not_pages = page_help.load()
    names = _workbench_url_names()

    assert names - set(pages) - not_pages == set()
    assert (set(pages) | not_pages) - names == set(), "help for URL names that do not exist"


def test_every_help_entry_has_a_purpose_and_steps():
    pages, _ = page_help.load()
    for name, entry in pages.items():
        assert entry.purpose.strip() and entry.steps, name


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"a": {"steps": ["x"]}}, "缺少 purpose"),
        ({"a": {"purpose": "p", "steps": []}}, "steps"),
        ({"a": {"purpose": "p", "steps": ["x"], "rules": "typo"}}, "未知字段"),
        ({"a": {"same_as": "b"}}, "same_as"),
        (
            {"a": {"purpose": "p", "steps": ["x"]}, "not_pages": {"names": ["a"]}},
            "not_pages",
        ),
    ],
)
def test_a_malformed_entry_fails_at_load_naming_it(data, message):
    with pytest.raises(page_help.HelpDataError, match=message):
        page_help.parse(data)


@pytest.mark.django_db
def test_pages_show_their_help_collapsed_at_the_top(client):
    tree = f.tree()
    center = f.center(tree["sub1"], windows=1)
    clerk = f.staff(tree["sub1"], Role.WINDOW_CLERK, window=center.windows.get())
    client.force_login(clerk)

    html = client.get(reverse("workbench:cases:counter_walk_in")).content.decode()

    assert '<details class="help-panel" id="page-help">' in html
    assert "<summary>本页说明</summary>" in html
    assert "现场受理第一步：录入申请人，选择事项。" in html
    main = html[html.index('<main id="main"') :]
    assert main.index('id="page-help"') < main.index("<form")


# --- walkthrough -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_account_sees_the_walkthrough_until_it_closes_it(client):
    tree = f.tree()
    clerk = f.staff(tree["sub1"], Role.APPROVER)
    client.force_login(clerk)
    assert 'id="walkthrough"' in client.get("/workbench/").content.decode()

    response = client.post("/workbench/walkthrough/dismiss/")

    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.walkthrough_done_at is not None
    html = client.get("/workbench/").content.decode()
    assert 'id="walkthrough"' not in html
    assert "本页说明" in html  # the help panels stay


@pytest.mark.django_db
def test_only_the_account_itself_may_close_its_walkthrough():
    tree = f.tree()
    one = f.staff(tree["sub1"], Role.APPROVER)
    other = f.staff(tree["sub1"], Role.SYSTEM_ADMIN)

    with pytest.raises(PermissionDenied):
        staff_walkthrough_dismiss(actor=other, user=one)
    with pytest.raises(PermissionDenied):
        staff_walkthrough_dismiss(actor="系统：命令行", user=one)

    assert User.objects.get(pk=one.pk).walkthrough_done_at is None


@pytest.mark.django_db
def test_closing_the_walkthrough_needs_a_post(client):
    tree = f.tree()
    client.force_login(f.staff(tree["sub1"], Role.APPROVER))
    assert client.get("/workbench/walkthrough/dismiss/").status_code == 405
