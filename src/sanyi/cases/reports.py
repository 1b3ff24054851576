"""Figures the cases give to other reports (registered in CasesConfig.ready)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sanyi.cases.choices import CaseStatus
from sanyi.cases.models import Case
from sanyi.catalog.choices import ItemType

DECIDED = (CaseStatus.CONCLUDED, CaseStatus.DELIVERED)


def licensing_decisions(units: Sequence, year: int) -> int | None:
    """The annual report's 行政许可 figure: licensing decisions (准予 and 不予准予) made in
    ``year`` by the units, counted from the cases of 行政许可 items concluded that year.
    None when the platform holds no accepted case of those units in that year (the cases
    do not cover it, so the officer enters the figure by hand)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    mine = Case.objects.filter(implementation_item__implementing_unit__in=list(units))
    if (
        not mine.filter(accepted_on__gte=first, accepted_on__lte=last).exists()
        and not mine.filter(concluded_on__gte=first, concluded_on__lte=last).exists()
    ):
        return None
    return mine.filter(
        status__in=DECIDED,
        concluded_on__gte=first,
        concluded_on__lte=last,
        implementation_item__base_item__item_type=ItemType.LICENSING,
    ).count()


def register() -> None:
    from sanyi.annual_reports.figures import register_figure

    register_figure("licensing", licensing_decisions)

    from sanyi.cases.wallet import material_totals
    from sanyi.catalog.reports import register_case_figures

    register_case_figures(material_totals)
