"""The public disclosure portal: browse pages, the publication page, downloads, feeds,
sitemap and search, with bounded query counts."""

import datetime as dt
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sanyi.openness import services
from sanyi.openness.indexing import KIND
from sanyi.openness.tests import factories as f
from sanyi.search import ranking
from sanyi.search.services import search_document_upsert

pytestmark = pytest.mark.django_db


@pytest.fixture
def pub(org_tree, django_capture_on_commit_callbacks):
    entry = f.entry(org_tree["district"])
    draft = f.draft(
        org_tree["district"],
        actor=org_tree["writer"],
        title="关于城乡低保标准调整的通知",
        body="<p>自2026年1月起，城乡居民最低生活保障标准统一提高到每人每月900元。</p>",
        document_number="示政〔2026〕3号",
        written_on=dt.date(2026, 1, 5),
        keywords="低保 标准",
        topic="social_assistance",
        directory_entry=entry,
    )
    services.publication_attachment_add(
        actor=org_tree["writer"],
        publication=draft,
        uploaded=SimpleUploadedFile("标准表.pdf", f.PDF_BYTES),
    )
    services.interpretation_create(
        actor=org_tree["writer"], policy=draft, kind="text", title="一图读懂低保新标准",
        text="<p>每人每月多拿50元</p>",
    )  # fmt: skip
    services.publication_submit(actor=org_tree["writer"], publication=draft)
    services.publication_review(actor=org_tree["reviewer"], publication=draft, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        return services.publication_publish(actor=org_tree["writer"], publication=draft)


def test_publication_page_shows_the_official_metadata_table(client, pub, org_tree):
    response = client.get(pub.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    for label in [
        "索引号",
        "发布机构",
        "主题分类",
        "成文日期",
        "发布日期",
        "发文字号",
        "有效性",
        "关键词",
    ]:
        assert f">{label}</th>" in html
    assert pub.index_number in html
    assert "示政〔2026〕3号" in html and "2026-01-05" in html
    assert "社会救助与保障" in html
    assert "一图读懂低保新标准" in html
    assert "标准表.pdf" in html


def test_attachment_downloads_the_stored_bytes(client, pub):
    attachment = pub.attachments.get()

    response = client.get(reverse("openness:attachment", args=[pub.pk, attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == f.PDF_BYTES
    assert response["Content-Type"] == "application/pdf"


def test_abolished_policy_says_so(client, pub, org_tree):
    services.publication_validity_set(
        actor=org_tree["writer"], publication=pub, validity="abolished", on=dt.date(2026, 6, 1)
    )

    html = client.get(pub.get_absolute_url()).content.decode()
    assert "废止（2026-06-01起）" in html
    assert "本文件已废止" in html


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"level": "district"},
        {"area": "P17"},
        {"topic": "social_assistance"},
        {"year": "2026"},
    ],
)
def test_browse_pages_list_the_publication(client, pub, params):
    if "year" in params:
        params = {"year": str(timezone.localtime(pub.publish_at).year)}
    response = client.get(reverse("openness:list"), params)

    assert response.status_code == 200
    assert pub.title in response.content.decode()


def test_browse_by_unit_and_entry(client, pub, org_tree):
    by_unit = client.get(reverse("openness:list"), {"unit": org_tree["district"].pk})
    by_entry = client.get(reverse("openness:list"), {"entry": pub.directory_entry_id})
    other_unit = client.get(reverse("openness:list"), {"unit": org_tree["sub1"].pk})

    assert pub.title in by_unit.content.decode()
    assert pub.title in by_entry.content.decode()
    assert pub.title not in other_unit.content.decode()


def test_bad_filter_values_are_not_found(client, pub):
    assert client.get(reverse("openness:list"), {"topic": "nope"}).status_code == 404
    assert client.get(reverse("openness:list"), {"area": "XX"}).status_code == 404


def pager_link(page: str, rel: str) -> str:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', page)
    assert found, f"no {rel} link"
    return html.unescape(found.group(1))


def titles(page: str) -> list[str]:
    return re.findall(r"列表第(\d+)条", page)


def test_list_pages_by_cursor_with_bounded_queries_at_any_depth(
    client, org_tree, django_assert_max_num_queries
):
    for n in range(25):
        f.published(
            org_tree["district"],
            writer=org_tree["writer"],
            reviewer=org_tree["reviewer"],
            title=f"列表第{n}条",
        )
    list_url = reverse("openness:list")

    with django_assert_max_num_queries(6):
        first = client.get(list_url, {"unit": org_tree["district"].pk}).content.decode()
    link = pager_link(first, "next")
    with django_assert_max_num_queries(6):
        second = client.get(list_url + link).content.decode()
    back = client.get(list_url + pager_link(second, "prev")).content.decode()

    assert "共 25 条" in first and "第1页" in first
    assert f"unit={org_tree['district'].pk}" in link and "after=" in link
    assert len(titles(first)) == 20 and len(titles(second)) == 5
    assert "第2页" in second
    assert sorted(titles(first) + titles(second), key=int) == [str(n) for n in range(25)]
    assert titles(back) == titles(first)


def test_stale_or_old_list_links_show_the_first_page(client, pub):
    tampered = client.get(reverse("openness:list"), {"after": "WzJd:forged", "topic": pub.topic})
    numbered = client.get(reverse("openness:list"), {"page": "99"})

    assert tampered.status_code == numbered.status_code == 200
    assert "翻页链接已失效，已回到第一页。" in tampered.content.decode()
    assert pub.title in tampered.content.decode() and pub.title in numbered.content.decode()


def test_the_list_total_stops_at_the_cap(client, org_tree, monkeypatch):
    for _ in range(3):
        f.published(org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"])
    monkeypatch.setattr("sanyi.core.pagination.TOTAL_CAP", 2)
    monkeypatch.setattr("sanyi.openness.web.public.PAGE_SIZE", 1)

    page = client.get(reverse("openness:list")).content.decode()

    assert "超过 2 条" in page


def test_home_and_detail_query_counts(client, pub, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get(reverse("openness:home")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(pub.get_absolute_url()).status_code == 200


def test_area_page_shows_the_directory(client, pub):
    html = client.get(reverse("openness:area", args=["P17"])).content.decode()

    assert "社会救助领域公开目录" in html
    assert "信息形成或者变更之日起20个工作日内" in html
    assert "政府网站、社区/村公示栏（电子屏）" in html


def test_atom_feed_of_a_unit(client, pub, org_tree):
    response = client.get(reverse("openness:unit_feed", args=[org_tree["district"].pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert pub.title in response.content.decode()


def test_sitemap_lists_public_publications(client, pub):
    response = client.get(reverse("openness:sitemap"))

    assert response.status_code == 200
    assert pub.get_absolute_url() in response.content.decode()


def test_search_finds_a_body_phrase_with_filters(client, pub, org_tree):
    response = client.get(
        reverse("openness:search"), {"q": "最低生活保障标准", "unit": org_tree["district"].pk}
    )
    html = response.content.decode()

    assert pub.get_absolute_url() in html
    assert "社会救助与保障（1）" in html
    other = client.get(reverse("openness:search"), {"q": "最低生活保障标准", "topic": "notice"})
    assert pub.get_absolute_url() not in other.content.decode()
    by_area = client.get(reverse("openness:search"), {"q": "最低生活保障标准", "area": "P17"})
    assert pub.get_absolute_url() in by_area.content.decode()
    other_area = client.get(reverse("openness:search"), {"q": "最低生活保障标准", "area": "P01"})
    assert pub.get_absolute_url() not in other_area.content.decode()


def test_search_by_title_pinyin(client, pub):
    html = client.get(reverse("openness:search"), {"q": "dibao"}).content.decode()

    assert pub.get_absolute_url() in html


def test_revoked_publication_leaves_search(
    client, pub, org_tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_revoke(actor=org_tree["writer"], publication=pub, reason="标准有误")

    html = client.get(reverse("openness:search"), {"q": "最低生活保障标准"}).content.decode()
    assert pub.get_absolute_url() not in html
    assert client.get(pub.get_absolute_url()).status_code == 404


def test_portal_navigation_links_to_the_disclosure_home(client):
    html = client.get(reverse("portal:home")).content.decode()

    assert f'href="{reverse("openness:home")}"' in html
    assert ">政务公开<" in html


def test_a_signed_in_officer_searches_the_portal_as_the_public(client, org_tree):
    draft = f.draft(
        org_tree["district"], actor=org_tree["writer"], body="<p>最低生活保障标准草稿</p>"
    )
    client.force_login(org_tree["writer"])

    html = client.get(reverse("openness:search"), {"q": "最低生活保障标准"}).content.decode()

    assert draft.get_absolute_url() not in html


def test_legacy_script_links_are_never_rendered_as_links(client, pub):
    # given links stored before services refused them
    from sanyi.openness.models import Interpretation, Publication

    Publication.objects.filter(pk=pub.pk).update(source_url="javascript:alert(document.domain)")
    Interpretation.objects.filter(policy=pub).update(video_url="data:text/html,x")

    html = client.get(pub.get_absolute_url()).content.decode()

    assert 'href="javascript:' not in html and 'href="data:' not in html
    assert html.count('href="#" rel="noopener noreferrer"') == 2


def test_check_links_command_lists_unsafe_stored_links(pub, capsys):
    from django.core.management import call_command

    from sanyi.openness.models import Publication

    call_command("openness", "check-links", "--strict")
    assert "不安全的链接：0处" in capsys.readouterr().out

    Publication.objects.filter(pk=pub.pk).update(source_url="javascript:alert(1)")
    with pytest.raises(SystemExit) as exc:
        call_command("openness", "check-links", "--strict")
    out = capsys.readouterr().out
    assert exc.value.code == 1
    assert "原文链接（source_url）“javascript:alert(1)”" in out and "1处" in out


def test_a_very_broad_search_says_it_lists_the_most_viewed_and_newest(client, pub, monkeypatch):
    search_document_upsert(
        kind=KIND,
        object_id="999999",
        title="关于最低生活保障标准的旧通知",
        body="最低生活保障标准",
        url="/open/p/999999/",
        is_public=True,
        sort_date=dt.date(2001, 1, 1),
    )
    monkeypatch.setattr(ranking, "RANK_WINDOW", 1)  # two matches: more than the window

    html = client.get(reverse("openness:search"), {"q": "最低生活保障标准"}).content.decode()

    assert "找到的信息很多，下面是其中最常看、最新的 1 条" in html
    assert pub.get_absolute_url() in html  # the newer one
    monkeypatch.setattr(ranking, "RANK_WINDOW", 1000)
    html = client.get(reverse("openness:search"), {"q": "最低生活保障标准"}).content.decode()
    assert "共找到 2 条结果" in html
