"""Materialised-path helpers. Only ``orgs.services`` writes paths."""

from sanyi.orgs.models import PATH_SEGMENT_WIDTH


def segment(pk: int) -> str:
    return f"{pk:0{PATH_SEGMENT_WIDTH}d}/"


def child_path(parent_path: str, pk: int) -> str:
    return f"{parent_path}{segment(pk)}"
