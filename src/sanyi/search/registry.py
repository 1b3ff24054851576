"""Kinds of searchable documents. An app registers each kind it indexes, with the facets a
search may filter on, from its ``AppConfig.ready()``:

    register_kind("catalog.item", label="办事事项",
                  facets={"level": "行使层级", "department": "实施部门"})

Unknown kinds and facet names are refused at indexing and at query time, so a typo in a
filter is an error, not an empty result.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured, ValidationError

# Built-in filter, valid for every kind: documents of these org units and their subtrees.
ORG_UNIT_FILTER = "org_unit"

_KIND = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
_FACET = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class SearchKind:
    kind: str
    label: str
    facets: dict[str, str] = field(default_factory=dict)  # name → Chinese label
    # Item names make good dictionary words; long publication titles ("关于印发…的通知")
    # would only teach jieba nonsense, so their kinds turn this off.
    titles_to_dictionary: bool = True


_registry: dict[str, SearchKind] = {}


def register_kind(
    kind: str,
    *,
    label: str,
    facets: dict[str, str] | None = None,
    titles_to_dictionary: bool = True,
) -> SearchKind:
    """Declare a kind and its facets. Registering again replaces the declaration."""
    facets = dict(facets or {})
    if not _KIND.match(kind):
        raise ImproperlyConfigured(f"search kind {kind!r} must look like 'app.thing'")
    for name in facets:
        if not _FACET.match(name) or name == ORG_UNIT_FILTER:
            raise ImproperlyConfigured(f"search facet {name!r} of {kind} is not a valid name")
    entry = SearchKind(kind, label, facets, titles_to_dictionary)
    _registry[kind] = entry
    return entry


def unregister_kind(kind: str) -> None:
    """For tests that declare throw-away kinds."""
    _registry.pop(kind, None)


def get_kind(kind: str) -> SearchKind:
    try:
        return _registry[kind]
    except KeyError:
        raise ValidationError({"kind": f"未知的搜索类别：{kind}"}) from None


def registered_kinds() -> list[SearchKind]:
    return list(_registry.values())


@dataclass(frozen=True)
class EvaluationSet:
    """A file of test queries (``query<TAB>expected title`` per line) an app keeps to
    measure its search quality with ``sanyi search evaluate``."""

    name: str
    path: str
    kinds: tuple[str, ...]


_evaluation_sets: dict[str, EvaluationSet] = {}


def register_evaluation_set(name: str, *, path: str, kinds: Sequence[str]) -> EvaluationSet:
    """Declare a named set of test queries over ``kinds`` (registering again replaces)."""
    entry = EvaluationSet(name, str(path), tuple(kinds))
    _evaluation_sets[name] = entry
    return entry


def evaluation_sets() -> dict[str, EvaluationSet]:
    return dict(_evaluation_sets)
