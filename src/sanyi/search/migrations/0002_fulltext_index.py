"""The full-text index over the pre-segmented token columns, one per database vendor.

SQLite: an FTS5 table whose rowid is the document id (kept in sync by search.services).
PostgreSQL: a stored generated tsvector column ('simple' configuration: the tokens are
already segmented, no stemming or stop words wanted) and a GIN index on it.
"""

from django.db import migrations


class RunSQLFor(migrations.RunSQL):
    """RunSQL that only runs on one database vendor."""

    def __init__(self, vendor, *args, **kwargs):
        self.vendor = vendor
        super().__init__(*args, **kwargs)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        RunSQLFor(
            "sqlite",
            sql=(
                "CREATE VIRTUAL TABLE search_fts USING fts5("
                "title_tokens, tokens, tokenize = 'unicode61 remove_diacritics 0')"
            ),
            reverse_sql="DROP TABLE search_fts",
        ),
        RunSQLFor(
            "postgresql",
            sql=[
                "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector "
                "GENERATED ALWAYS AS ("
                "setweight(to_tsvector('simple'::regconfig, title_tokens), 'A') || "
                "setweight(to_tsvector('simple'::regconfig, tokens), 'D')) STORED",
                # fastupdate off: new rows go straight into the index tree instead of a
                # pending list that every search scans until the next vacuum; documents
                # change rarely, searches are constant.
                "CREATE INDEX search_doc_vector ON search_searchdocument "
                "USING GIN (search_vector) WITH (fastupdate = off)",
            ],
            reverse_sql=[
                "DROP INDEX search_doc_vector",
                "ALTER TABLE search_searchdocument DROP COLUMN search_vector",
            ],
        ),
    ]
