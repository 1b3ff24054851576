"""Idempotency keys for writes a client may send twice (a retry after a lost answer, a
phone's offline draft sent again): the first request's key is kept with a fingerprint of
what it asked; a repeat with the same key and the same content gets the first answer, the
same key with different content is refused (the API answers 409)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

MAX_KEY_LENGTH = 80


class IdempotencyConflict(Exception):
    """The key was used before for a request with different content."""

    def __init__(
        self, message: str = "该幂等键已用于内容不同的另一次提交，请为新的提交换一个幂等键"
    ):
        super().__init__(message)
        self.message = message


def request_fingerprint(fields: Mapping[str, Iterable[str]], files: Iterable[bytes] = ()) -> str:
    """A SHA-256 over the request's fields (sorted by name, each value list in order) and
    the content of its files, so the same request sent again has the same fingerprint."""
    digest = hashlib.sha256()
    for name in sorted(fields):
        for value in fields[name]:
            digest.update(f"{name}\x1f{value}\x1e".encode())
    for content in files:
        digest.update(b"\x1d" + hashlib.sha256(content).digest())
    return digest.hexdigest()
