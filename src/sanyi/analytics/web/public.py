"""The public statistics page (办件统计公开), under /statistics/ (namespace statistics).

Anonymous, the same for everyone, built from the daily facts by three aggregate queries
(``analytics.selectors_public``), so shared caches may keep it for a while: the facts
change once an hour at most (the rollup job).
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from sanyi.analytics.selectors_public import LEVELS, MIN_SAMPLE, item_table, unit_table
from sanyi.analytics.web.exports import statistics_workbook
from sanyi.analytics.web.forms_public import PublicStatsForm
from sanyi.core.responses import XLSX, file_response

# Ten minutes: the rollup job runs hourly, so a visitor sees figures at most ~70 minutes old.
MAX_AGE = 600


def _cacheable(response):
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    # The page's header shows whether someone is signed in and the care mode (cookies).
    patch_vary_headers(response, ["Cookie"])
    return response


def _tables(request) -> tuple[PublicStatsForm, dict]:
    form = PublicStatsForm(request.GET or None, today=timezone.localdate())
    choice = form.choice()
    units, total = unit_table(start=choice["start"], end=choice["end"], level=choice["level"])
    items = item_table(start=choice["start"], end=choice["end"], search=choice["q"])
    return form, {**choice, "units": units, "total": total, "items": items}


@require_safe
def statistics(request):
    form, data = _tables(request)
    context = {
        "form": form,
        **data,
        "level_name": LEVELS[data["level"]],
        "min_sample": MIN_SAMPLE,
        "download_query": request.GET.urlencode(),
    }
    return _cacheable(render(request, "analytics/public/statistics.html", context))


@require_safe
def download(request):
    _, data = _tables(request)
    name = f"办件统计{data['start']:%Y%m%d}-{data['end']:%Y%m%d}.xlsx"
    content = statistics_workbook(data, level_name=LEVELS[data["level"]])
    response = file_response(content, name, XLSX, fallback="statistics.xlsx")
    return _cacheable(response)
