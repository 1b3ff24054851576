"""The analytics app's public write API: recomputing the daily facts."""

from sanyi.analytics.services.rollup import RollupResult, day_facts, rollup_day, rollup_rebuild

__all__ = ["RollupResult", "day_facts", "rollup_day", "rollup_rebuild"]
