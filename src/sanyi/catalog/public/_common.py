"""What every public reading of the catalogue starts from: the levels residents browse by
and the published versions.
"""

from __future__ import annotations

from django.db.models import QuerySet

from sanyi.catalog.choices import (
    ItemLevel,
    VersionStatus,
)
from sanyi.catalog.models import ItemVersion

# The three levels residents browse by (STANDARDS.md §2: 县级 / 乡级 / 村级).
PUBLIC_LEVELS = {
    ItemLevel.DISTRICT.value: "区级",
    ItemLevel.SUBDISTRICT.value: "街道（乡镇）级",
    ItemLevel.COMMUNITY.value: "社区（村）级",
}


def level_label(level: str) -> str:
    return PUBLIC_LEVELS.get(level) or ItemLevel(level).label


def _published() -> QuerySet[ItemVersion]:
    """Versions in force. Public data, the same for every viewer: staff see drafts in the
    workbench, never on the public pages."""
    return ItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
