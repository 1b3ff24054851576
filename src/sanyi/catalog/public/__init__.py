"""Reading the public face of the catalogue: the guide of an item in force, the browse
lists of the catalogue home, and life-event pages.

``guide_page`` builds one plain structure (``GuidePage``) that the web page, the counter
PDF, the material checklist PDF and the JSON-LD all render: 线上线下标准同源, the guide on
the screen and the guide on paper come from the same data. Only the published version of a
code is ever public here; drafts, versions in review, superseded and cancelled versions
are not (a superseded guide stays readable to staff in the workbench history, not here).

Every public name is importable from this package. The modules follow the parts of the
public catalogue: ``limits`` (time limits and visits), ``materials`` (material rows and
their files), ``centers`` (where to go), ``guides`` (the guide page, its elements and its
freshness), ``browsing`` (the catalogue home and search suggestions), ``life_events`` and
``popular`` (the front door's most used services).
``_common`` holds the public levels and the published versions they all start from.
"""

from sanyi.catalog.public._common import PUBLIC_LEVELS, level_label
from sanyi.catalog.public.browsing import (
    BrowseEntry,
    CatalogueOverview,
    catalogue_overview,
    department_of,
    search_suggestions,
)
from sanyi.catalog.public.centers import CenterIndex, centers_for
from sanyi.catalog.public.guides import (
    Element,
    Freshness,
    GuidePage,
    StepRow,
    guide_freshness,
    guide_page,
    public_guide_version,
    published_guide_versions,
)
from sanyi.catalog.public.life_events import (
    LifeEventStep,
    LifeEventTile,
    life_event_steps,
    life_event_tiles,
    public_life_event,
)
from sanyi.catalog.public.limits import TimeLimits, limit_text, saved_percent, visits_text
from sanyi.catalog.public.materials import (
    MATERIAL_FILE_KINDS,
    MATERIAL_FILE_TYPES,
    MaterialFile,
    MaterialRow,
    material_file,
    public_material,
)
from sanyi.catalog.public.popular import PopularItem, popular_items, searched_item_counts

__all__ = [
    "MATERIAL_FILE_KINDS",
    "MATERIAL_FILE_TYPES",
    "PUBLIC_LEVELS",
    "BrowseEntry",
    "CatalogueOverview",
    "CenterIndex",
    "Element",
    "Freshness",
    "GuidePage",
    "LifeEventStep",
    "LifeEventTile",
    "MaterialFile",
    "MaterialRow",
    "PopularItem",
    "StepRow",
    "TimeLimits",
    "catalogue_overview",
    "centers_for",
    "department_of",
    "guide_freshness",
    "guide_page",
    "level_label",
    "life_event_steps",
    "life_event_tiles",
    "limit_text",
    "material_file",
    "popular_items",
    "public_guide_version",
    "public_life_event",
    "public_material",
    "published_guide_versions",
    "saved_percent",
    "search_suggestions",
    "searched_item_counts",
    "visits_text",
]
