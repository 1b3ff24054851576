"""Case numbers (办件编号) and query codes (查询码).

The number rule (docs/cases.md): the item's implementation code, a hyphen, the date the case
was first saved as yyyymmdd, a hyphen, and the sequence of that code on that day, at least
four digits: ``11350100MB0000001X4000110001-20261128-0007``. The sequence comes from a
``CaseNumberCounter`` row per (code, day), locked for the rest of the creating transaction,
so two cases started at the same moment never share a number, and a rolled-back start
gives its number back. Beyond 9999 cases of one item on one day the sequence simply grows
to five digits.

The query code is derived from the number with the site's secret key (HMAC), so the receipt
can be printed again at any time without keeping the code itself; only its hash is stored
(``Case.query_code_hash``) so a leaked database does not leak the codes.

The short number (短号, ``Case.short_number``) is what people read out and type: eight
characters from an alphabet without 0/O and 1/I, drawn at random when the case is created,
unique (checked here, guaranteed by the unique index). The progress lookup accepts either.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import connection

from sanyi.cases.models import (
    SHORT_NUMBER_ALPHABET,
    SHORT_NUMBER_LENGTH,
    Case,
    CaseNumberCounter,
    new_short_number,
)

QUERY_CODE_ALPHABET = SHORT_NUMBER_ALPHABET  # no 0/O, 1/I
QUERY_CODE_LENGTH = 8


def allocate_case_number(implementation_code: str, day: dt.date) -> str:
    """The next number of ``implementation_code`` on ``day``. Must run inside the
    transaction that saves the case (the counter row stays locked until it ends)."""
    return format_case_number(implementation_code, day, _bump(implementation_code, day, 1))


def lock_case_counter(implementation_code: str, day: dt.date) -> None:
    """Lock the counter row of ``implementation_code`` on ``day`` (creating it) without
    taking a number, for a transaction that writes an audit row before it starts the case.

    Lock order: every intake takes its item's counter row before the audit chain head. A
    transaction that took the head first (registering a walk-in applicant writes an audit
    row) and then waited for the counter, while another held the counter and waited for
    the head, would deadlock."""
    _bump(implementation_code, day, 0)


def _bump(implementation_code: str, day: dt.date, by: int) -> int:
    # One statement (PostgreSQL and SQLite both upsert with RETURNING): the first case of
    # the day creates the row, the others increment it under the row lock the update takes.
    # The ORM would need three (insert-or-ignore, SELECT … FOR UPDATE, UPDATE), and every
    # intake of the item waits on this row.
    q = connection.ops.quote_name
    table, code, on, last = (
        q(CaseNumberCounter._meta.db_table),
        q("implementation_code"),
        q("day"),
        q("last"),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({code}, {on}, {last}) VALUES (%s, %s, %s) "  # noqa: S608 (names from the model)
            f"ON CONFLICT ({code}, {on}) DO UPDATE SET {last} = {table}.{last} + %s "
            f"RETURNING {last}",
            [implementation_code, connection.ops.adapt_datefield_value(day), by, by],
        )
        (sequence,) = cursor.fetchone()
    return int(sequence)


def format_case_number(implementation_code: str, day: dt.date, sequence: int) -> str:
    return f"{implementation_code}-{day:%Y%m%d}-{sequence:04d}"


def query_code_for(number: str) -> str:
    """The 8-character query code printed on the receipt of case ``number``."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"sanyi.case.query:{number}".encode(), hashlib.sha256
    ).digest()
    n = int.from_bytes(digest[:10], "big")
    chars = []
    for _ in range(QUERY_CODE_LENGTH):
        n, r = divmod(n, len(QUERY_CODE_ALPHABET))
        chars.append(QUERY_CODE_ALPHABET[r])
    return "".join(chars)


def query_code_hash(code: str) -> str:
    return hashlib.sha256(f"sanyi.case.query:{code.strip().upper()}".encode()).hexdigest()


def query_code_matches(stored_hash: str, code: str) -> bool:
    return bool(stored_hash) and hmac.compare_digest(stored_hash, query_code_hash(code))


def allocate_short_number() -> str:
    """A short number no case has yet (one draw in a trillion collides; then draw again)."""
    for _ in range(10):
        candidate = new_short_number()
        if not Case.objects.filter(short_number=candidate).exists():
            return candidate
    raise RuntimeError("no free short case number after 10 draws")


def normalise_case_number(text: str) -> str:
    """What someone typed as a case number, as stored: no spaces, upper case; a short
    number may be typed in groups ("AB12 CD34", "AB12-CD34")."""
    value = "".join((text or "").split()).upper()
    compact = value.replace("-", "")
    if len(compact) == SHORT_NUMBER_LENGTH and all(c in SHORT_NUMBER_ALPHABET for c in compact):
        return compact
    return value
