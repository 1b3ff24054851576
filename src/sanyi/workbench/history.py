"""Who may read the audit history of which object, read from ``sanyi.core.registry``.

Each object type (``app_label.modelname``, as audit rows store it) has one check
``(user, object_id) -> bool``, registered by the app that owns the model
(``register_history("catalog.item", check)`` in its ``AppConfig.ready()``). Types nobody
registered have no history page (404), so a new model's history stays closed until its
app says who may see it.
"""

from __future__ import annotations

from django.http import Http404

from sanyi.core import registry


def registered_types() -> list[str]:
    return registry.history_types()


def may_view_history(user, object_type: str, object_id: str) -> bool:
    """True when ``user`` may read the object's history.

    Raises Http404 for a type with no registered check or an object that does not exist
    (the check raises it), so unknown and missing objects look the same.
    """
    check = registry.history_check(object_type)
    if check is None:
        raise Http404("没有这类对象的历史记录")
    return bool(check(user, object_id))
