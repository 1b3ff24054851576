"""The database a benchmark runs on: a SQLite file in a temporary folder, or a database of
its own on the PostgreSQL server of ``DATABASE_URL`` (the user needs CREATEDB), dropped at
the end unless kept. Django is set up on it by the caller's ``setup(database_url,
data_dir)``; the temporary folder is the data folder."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


@contextlib.contextmanager
def bench_database(
    prefix: str,
    setup: Callable[[str, str], None],
    *,
    postgres_only: bool = False,
    keep: bool = False,
    reuse: str = "",
) -> Iterator[str]:
    """Yields the database's name (its file on SQLite). ``reuse`` names a kept PostgreSQL
    database to run on again, left as it is."""
    base_url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix=f"{prefix}-") as tmp:
        if not is_postgres(base_url):
            if postgres_only:
                sys.exit(f"{sys.argv[0]} needs DATABASE_URL=postgres://… (it uses COPY)")
            path = Path(tmp) / "bench.sqlite3"
            setup(f"sqlite:///{path}", tmp)
            yield str(path)
            return
        import psycopg

        name = reuse or f"{prefix}_{os.getpid()}"
        parts = urlsplit(base_url)
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        if not reuse:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        print(f"database {name}")
        try:
            setup(urlunsplit(parts._replace(path=f"/{name}")), tmp)
            yield name
        finally:
            from django.db import connections

            connections.close_all()
            if keep or reuse:
                print(f"kept database {name}")
            else:
                with psycopg.connect(admin_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
