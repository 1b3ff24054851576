"""Where section 二's case figures come from: providers registered by other apps.

Licensing, penalty and compulsory decisions and fee amounts live in the case data, which
other apps own. Such an app registers a provider once, in its ``AppConfig.ready``::

    from sanyi.annual_reports.figures import register_figure

    register_figure("licensing", count_licensing_decisions)

A provider is called as ``func(units, year)`` with the list of org units the report covers
and the year, and returns the figure (an ``int`` for decisions, a ``Decimal`` in 万元 for
fees) or ``None`` when it has nothing to say (e.g. its data does not cover that year). When
no provider gives a number, the officer enters it by hand with a note, and the report shows
that it was entered by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from sanyi.annual_reports.choices import Figure

Provider = Callable[[Sequence, int], "Decimal | int | None"]

_providers: dict[str, list[Provider]] = {}


def register_figure(key: str, func: Provider) -> None:
    """Add a provider of one figure (a ``choices.Figure`` code); registering the same
    function twice is harmless."""
    if key not in Figure.values:
        raise ValueError(f"unknown annual-report figure: {key}")
    funcs = _providers.setdefault(key, [])
    if func not in funcs:
        funcs.append(func)


def unregister_figure(key: str, func: Provider) -> None:
    funcs = _providers.get(key, [])
    if func in funcs:
        funcs.remove(func)


def provided_figure(key: str, units: Sequence, year: int) -> Decimal | int | None:
    """The sum of what the registered providers give, or None when none gives a number."""
    values = [v for v in (func(units, year) for func in _providers.get(key, [])) if v is not None]
    if not values:
        return None
    return sum(values[1:], values[0])
