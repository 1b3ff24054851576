"""Scheduled jobs of the catalogue (run by ``sanyi scheduler run``)."""

import datetime as dt

from sanyi.core.scheduler import DailyAt, register_job


def search_popularity_job(*, now) -> str:
    from sanyi.catalog.indexing import refresh_popularity

    return f"更新了{refresh_popularity()}个事项的热度"


register_job(
    name="catalog.search-popularity",
    title="办事指南搜索排序：按办件量和搜索量更新事项热度",
    schedule=DailyAt(dt.time(2, 30)),
    func=search_popularity_job,
)
