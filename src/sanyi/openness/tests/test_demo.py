"""The disclosure part of the demo loads through the services and covers every state."""

import pytest
from django.core.management import call_command

from sanyi.openness.choices import DisclosureAttribute, Level, PublicationStatus
from sanyi.openness.models import DirectoryEntry, Interpretation, NegativeListEntry, Publication
from sanyi.openness.selectors import directory_duplicates, publication_public_qs
from sanyi.orgs.models import OrgKind, OrgUnit, User

pytestmark = pytest.mark.django_db


def test_demo_has_directories_every_state_and_the_corpus(capsys, client):
    # One demo load (it takes minutes) serves both checks.
    call_command("demo", "load")
    _every_corpus_record_shows_its_source_and_link_and_never_the_demo_issuer(client)

    areas_at_levels = DirectoryEntry.objects.values_list("area__code", "level").distinct()
    areas = {code for code, _ in areas_at_levels}
    assert len(areas) >= 8
    for code in areas:
        assert {lvl for c, lvl in areas_at_levels if c == code} == set(Level.values)
    assert NegativeListEntry.objects.count() >= 6
    statuses = set(Publication.objects.values_list("status", flat=True))
    assert statuses == set(PublicationStatus.values)
    attributes = set(Publication.objects.values_list("attribute", flat=True))
    assert attributes == set(DisclosureAttribute.values)
    # 120 imported + 1 published now + 12 notices of 城关街道 and its 5 communities
    # + one of each other subdistrict (5) and of each of their communities and villages (26)
    # + 13 published notices of 翠苑社区's notice board (two more wait in review)
    assert publication_public_qs().count() == 177
    street = OrgUnit.objects.get(name="城关街道")
    for community in OrgUnit.objects.filter(parent=street, kind=OrgKind.COMMUNITY):
        notices = publication_public_qs().filter(publisher=community, board_notice__isnull=True)
        assert notices.count() == 2
    _board_has_current_past_and_pending()
    for community in OrgUnit.objects.filter(kind=OrgKind.COMMUNITY).exclude(parent=street):
        assert publication_public_qs().filter(publisher=community).count() == 1
    officer = User.objects.get(username="disclosure.district")
    assert directory_duplicates(viewer=officer)  # 低保对象名单 kept at district and subdistrict
    assert "政务公开" in capsys.readouterr().out


def _board_has_current_past_and_pending():
    from sanyi.openness.selectors import board_get, board_pending_for

    community = OrgUnit.objects.get(name="翠苑社区")
    board = board_get(community)
    assert len(board.current) == 8 and len(board.past) == 5
    assert any(item.notice.thumbnail for item in board.current)
    grids = OrgUnit.objects.filter(parent=community, kind=OrgKind.GRID)
    assert {i.publication.publisher_id for i in board.current} & set(
        grids.values_list("pk", flat=True)
    )
    assert board_pending_for([community.pk, *grids.values_list("pk", flat=True)]).count() == 2


def _every_corpus_record_shows_its_source_and_link_and_never_the_demo_issuer(client):
    """The demo's real documents of another jurisdiction say where they come from."""
    import html
    import json

    from sanyi.openness.demo.load import CORPUS, CORPUS_SOURCE

    corpus = [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line]
    by_url = {p.source_url: p for p in Publication.objects.filter(source_url__gt="")}
    assert len(corpus) == 120
    for row in corpus:
        pub = by_url[row["source_url"]]
        assert pub.source_name == CORPUS_SOURCE
        page = html.unescape(client.get(f"/open/p/{pub.pk}/").content.decode())
        assert f"来源：{CORPUS_SOURCE}" in page, pub.title
        assert f'<a href="{row["source_url"]}"' in page, pub.title
        issuer = page.split('data-label="发布机构">', 1)[1].split("<", 1)[0]
        assert issuer == (row["publisher"] or CORPUS_SOURCE)
        assert "示范区" not in issuer
        data = client.get(f"/api/v1/openness/publications/{pub.pk}/").json()
        assert data["source"] == CORPUS_SOURCE and data["source_url"] == row["source_url"]
        assert data["publisher"] == issuer
    listing = html.unescape(client.get("/open/list/?year=2023").content.decode())
    assert f"{CORPUS_SOURCE}（转载）" in listing
    # The demo's video interpretation, reviewed with its record and public with it.
    video = Interpretation.objects.get(video__gt="")
    page = client.get(f"/open/p/{video.policy_id}/").content.decode()
    assert '<track kind="captions" srclang="zh"' in page
    video_url = f"/open/p/{video.policy_id}/interpretations/{video.pk}/video"
    assert client.get(video_url).status_code == 200
