"""What a broad search reads to pick its window (the weight and date of every match) comes
from a small place on both databases instead of the documents' wide rows.

PostgreSQL: a row target of 128 bytes stores the long texts (title, body, tokens) apart
(TOAST). With them in the row, 100,000 documents took 142 MB and those reads most of the
search; the same table took 32 MB. Rows written from now on follow it (a document is
rewritten whenever it is indexed again); ``VACUUM FULL search_searchdocument`` rewrites
the others at once.

SQLite: a covering index of exactly the columns the window, its filters and the count of
matching groups read, looked up by document id (``backends.WINDOW_INDEX``): the rows
themselves, with their tokens, are several kilobytes each.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_searchdocument SET (toast_tuple_target = 128)")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE INDEX search_doc_window ON search_searchdocument "
            "(id, kind, is_public, weight, sort_date, org_path, collapse_key)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_searchdocument RESET (toast_tuple_target)")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX search_doc_window")


class Migration(migrations.Migration):
    dependencies = [("search", "0006_shop_and_baby_synonyms")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
