"""The catalogue part of the demo: imports items.json through the catalogue's importer,
on top of the demo org tree (so it runs after the orgs part), then builds the search
index in one pass."""

from __future__ import annotations

from pathlib import Path

from sanyi.catalog.exchange import catalog_import_file
from sanyi.catalog.indexing import catalog_reindex, indexing_suspended
from sanyi.catalog.models import ImplementationItem
from sanyi.core.demo import DemoResult
from sanyi.orgs.demo import DISTRICT_CODE
from sanyi.orgs.models import OrgUnit

ITEMS_PATH = Path(__file__).with_name("items.json")


def is_loaded() -> bool:
    district = OrgUnit.objects.filter(division_code=DISTRICT_CODE).first()
    return (
        district is not None
        and ImplementationItem.objects.filter(
            implementing_unit__path__startswith=district.path
        ).exists()
    )


def load(*, actor: str, rng) -> DemoResult:
    # The import commits on its own (all or nothing); the search index is then built in
    # one pass instead of once per published item. The demo's fixed data is the one import
    # published without a second admin's review (docs/catalog.md, "Four eyes").
    with indexing_suspended():
        result = catalog_import_file(actor=actor, path=ITEMS_PATH, publish_without_review=True)
    catalog_reindex()
    return DemoResult(
        summary=result.summary(),
        notes=["办事指南：/services/（可搜索“低保”“生孩子”“退休”等）"],
    )
