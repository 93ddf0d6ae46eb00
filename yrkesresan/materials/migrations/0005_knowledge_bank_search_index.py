"""A GIN index for the knowledge bank's full-text search over material on PostgreSQL (see
catalog's 0009_knowledge_bank_search_indexes): the very expression learning.knowledge filters
on. SQLite gets none."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

FIELDS = ("title", "description", "body", "url")  # learning.knowledge's fields of Material
INDEX = GinIndex(SearchVector(*FIELDS, config="swedish"), name="materials_material_search")


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("materials", "Material"), INDEX)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("materials", "Material"), INDEX)


class Migration(migrations.Migration):
    dependencies = [("materials", "0004_link_checks")]

    operations = [migrations.RunPython(add, remove)]
