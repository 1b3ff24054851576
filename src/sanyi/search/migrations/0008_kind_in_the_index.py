"""The full-text index learns each document's kind, and on PostgreSQL holds the titles
apart. A search of a few kinds among many documents, such as the catalogue's items beside
100,000 publications, then reads the matches of its own kinds from the index instead of
testing every match's kind in its row (``backends.narrowing_kinds``).

SQLite: a third FTS column, ``kind_tokens``, with one token naming the kind
(``backends.kind_token``). FTS5 tables cannot gain a column, so the table is made again and
filled from the documents' own token columns.

PostgreSQL: the generated search vector gains the lexeme "§" + kind
(``backends.KIND_LEXEME``), without a position (no search scores it). A generated column's
expression cannot be changed, so the column and its GIN index are made again: every row is
rewritten (about half a minute for 100,000 documents), within the migration's transaction.
The titles get a vector and a GIN index of their own (``backends.TITLE_VECTOR``): a title
match used to be the words in the search vector with weight A, which its index cannot tell,
so every document with the words anywhere had its vector unpacked and checked.
"""

from django.db import migrations

TABLE = "search_fts"
OLD_COLUMNS = "title_tokens, tokens"
NEW_COLUMNS = "title_tokens, tokens, kind_tokens"
TOKENIZE = "tokenize = 'unicode61 remove_diacritics 0'"
VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, title_tokens), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, tokens), 'D')"
)
# The kind as one lexeme, through a tsvector literal such as '§catalog.item'. Kinds hold
# only letters, digits, "." and "_" (the registry's pattern), never a quote.
KIND_VECTOR = "('''§' || kind || '''')::tsvector"


def _kind_token_sql() -> str:
    """``backends.kind_token`` in SQL, for the characters a kind may have (the registry's
    pattern: lower-case letters, digits, "." and "_"); "x" first, as the others become x
    and their code."""
    expression = "kind"
    for char in ("x", ".", "_"):
        expression = f"replace({expression}, '{char}', 'x{ord(char):02x}')"
    return f"'k' || {expression}"


def _rebuild(schema_editor, columns: str, values: str) -> None:
    schema_editor.execute(f"DROP TABLE {TABLE}")
    schema_editor.execute(f"CREATE VIRTUAL TABLE {TABLE} USING fts5({columns}, {TOKENIZE})")
    schema_editor.execute(
        f"INSERT INTO {TABLE} (rowid, {columns}) "  # noqa: S608
        f"SELECT id, {values} FROM search_searchdocument"
    )


def _new_vector(schema_editor, expression: str) -> None:
    schema_editor.execute("DROP INDEX search_doc_vector")
    schema_editor.execute("ALTER TABLE search_searchdocument DROP COLUMN search_vector")
    schema_editor.execute(
        "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({expression}) STORED"
    )
    # As in migration 0002: no pending list for every search to scan.
    schema_editor.execute(
        "CREATE INDEX search_doc_vector ON search_searchdocument "
        "USING GIN (search_vector) WITH (fastupdate = off)"
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _rebuild(schema_editor, NEW_COLUMNS, f"title_tokens, tokens, {_kind_token_sql()}")
    elif schema_editor.connection.vendor == "postgresql":
        _new_vector(schema_editor, f"{VECTOR} || {KIND_VECTOR}")
        schema_editor.execute(
            "ALTER TABLE search_searchdocument ADD COLUMN title_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title_tokens)) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX search_doc_title_vector ON search_searchdocument "
            "USING GIN (title_vector) WITH (fastupdate = off)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _rebuild(schema_editor, OLD_COLUMNS, "title_tokens, tokens")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX search_doc_title_vector")
        schema_editor.execute("ALTER TABLE search_searchdocument DROP COLUMN title_vector")
        _new_vector(schema_editor, VECTOR)


class Migration(migrations.Migration):
    dependencies = [("search", "0007_broad_search_reads")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
