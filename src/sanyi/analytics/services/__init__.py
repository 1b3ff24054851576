"""The analytics app's public write API: recomputing the daily and monthly facts,
counting what residents do on the public site, forgetting old counts and exporting the
dashboard."""

from sanyi.analytics.services.behaviour import (
    RETENTION_DAYS,
    behaviour_count_add,
    behaviour_purge,
)
from sanyi.analytics.services.export import dashboard_export
from sanyi.analytics.services.rollup import (
    RollupResult,
    day_facts,
    refresh_month,
    rollup_day,
    rollup_rebuild,
)

__all__ = [
    "RETENTION_DAYS",
    "RollupResult",
    "behaviour_count_add",
    "behaviour_purge",
    "dashboard_export",
    "day_facts",
    "refresh_month",
    "rollup_day",
    "rollup_rebuild",
]
