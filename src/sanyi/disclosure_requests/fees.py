"""Information processing fees (信息处理费), Art. 42 and 国办函〔2020〕109号.

Pure functions on whole yuan. An agency charges by one of two methods per application:

按件计收 (per application): the applications of one applicant in one calendar month are
numbered 1, 2, 3 … in the order they were received; the 1st to the 10th are free, the 11th
to the 30th cost ¥100 each, and from the 31st on every further band of ten costs ¥100 more
each (31st–40th ¥200, 41st–50th ¥300, …).

按量计收 (per page): within one application, pages 1–30 are free, pages 31–100 cost ¥10
each, pages 101–200 ¥20 each, and every page after the 200th ¥40. Information given as an
electronic file, on a disc or as data is counted by its equivalent pages: the A4 pages it
would print to (for tables and data sets, the A4 pages of the printed table).
"""

from __future__ import annotations

FREE_APPLICATIONS = 10
FREE_PAGES = 30
# (first page of the band, last page of the band or None, yuan per page)
PAGE_BANDS: tuple[tuple[int, int | None, int], ...] = (
    (31, 100, 10),
    (101, 200, 20),
    (201, None, 40),
)


def _check_count(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what}应为整数")
    if value < 0:
        raise ValueError(f"{what}不能为负数")
    return value


def per_item_fee(ordinal: int) -> int:
    """The fee in yuan for the ``ordinal``-th application (1-based) of an applicant in a month."""
    _check_count(ordinal, "当月申请件次")
    if ordinal < 1:
        raise ValueError("当月申请件次从1开始")
    if ordinal <= FREE_APPLICATIONS:
        return 0
    if ordinal <= 30:
        return 100
    return 100 * (2 + (ordinal - 31) // 10)


def per_item_total(count: int) -> int:
    """What the first ``count`` applications of a month cost together."""
    _check_count(count, "申请件数")
    return sum(per_item_fee(k) for k in range(1, count + 1))


def per_page_fee(pages: int) -> int:
    """The fee in yuan for one application that yields ``pages`` pages (or equivalent pages)."""
    _check_count(pages, "页数")
    total = 0
    for first, last, price in PAGE_BANDS:
        top = pages if last is None else min(pages, last)
        if top >= first:
            total += (top - first + 1) * price
    return total


def describe(method: str, units: int) -> str:
    """The calculation in words, for the fee notice."""
    from sanyi.disclosure_requests.choices import FeeMethod

    if method == FeeMethod.PER_ITEM:
        return (
            f"按件计收：本申请为申请人本自然月内向本机关提出的第{units}件申请，"
            f"应收{per_item_fee(units)}元（每月前10件不收费；第11至30件每件100元；"
            f"第31件起每10件为一档，每档每件比上一档增加100元）。"
        )
    if method == FeeMethod.PER_PAGE:
        return (
            f"按量计收：本申请提供的信息共{units}页（含折算页数），应收{per_page_fee(units)}元"
            f"（30页以下不收费；31至100页每页10元；101至200页每页20元；200页以上每页40元）。"
        )
    return "不收费。"
