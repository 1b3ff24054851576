"""PostgreSQL: keep the document table's rows narrow, their long texts stored apart.

A search for a common word reads the weight and date of every match (to pick the window it
ranks) from the table itself. With the title, body and token columns kept in the row,
100,000 documents took 142 MB and those reads most of the search; with a row target of 128
bytes PostgreSQL stores the long texts apart (TOAST) and the same table took 32 MB. Rows
written from now on follow it (a document is rewritten whenever it is indexed again);
``VACUUM FULL search_searchdocument`` rewrites the others at once.
"""

from django.db import migrations


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_searchdocument SET (toast_tuple_target = 128)")


def widen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_searchdocument RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("search", "0006_shop_and_baby_synonyms")]

    operations = [migrations.RunPython(narrow, widen, elidable=False)]
