"""Atom feed of the public publications of one org unit and the units below it."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from sanyi.openness.selectors import PublicFilters, publication_public_list
from sanyi.orgs.models import OrgUnit

FEED_SIZE = 30


class UnitFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, unit_id: int):
        unit = OrgUnit.objects.filter(pk=unit_id, is_active=True).first()
        if unit is None:
            raise Http404("没有这个单位")
        return unit

    def title(self, unit):
        return f"{unit.name}政府信息公开"

    def subtitle(self, unit):
        return f"{unit.name}及下属单位最新主动公开的政府信息"

    def link(self, unit):
        return reverse("openness:list") + f"?unit={unit.pk}"

    def items(self, unit):
        return publication_public_list(PublicFilters(unit=unit))[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body_text[:300]

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.publish_at

    def item_author_name(self, item):
        return item.publisher_display
