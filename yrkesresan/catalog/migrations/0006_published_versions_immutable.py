"""A published course version is immutable in the database too, for every database user, the
application's included: CourseVersion.save/delete refuse it in Python, and this trigger refuses
what goes around them (a queryset's update() or delete(), SQL by hand).

A draft may be changed, deleted and published (its one UPDATE from draft to published). The one
change allowed to a published row is the publisher's removal (published_by set to NULL when their
account is deleted: on_delete=SET_NULL). TRUNCATE is left to the database's owner: Django's test
runner empties tables with it between transactional tests.
"""

from django.db import migrations

IMMUTABLE = """
CREATE OR REPLACE FUNCTION catalog_courseversion_published_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.status <> 'published' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE'
        AND NEW.published_by_id IS NULL
        AND (NEW.id, NEW.course_id, NEW.status, NEW.number, NEW.based_on, NEW.content,
             NEW.revision, NEW.change_note, NEW.legal_reference_id, NEW.created_at,
             NEW.published_at)
            IS NOT DISTINCT FROM
            (OLD.id, OLD.course_id, OLD.status, OLD.number, OLD.based_on, OLD.content,
             OLD.revision, OLD.change_note, OLD.legal_reference_id, OLD.created_at,
             OLD.published_at)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'published course versions are immutable: % of catalog_courseversion % refused',
        TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER catalog_courseversion_published_immutable
    BEFORE UPDATE OR DELETE ON catalog_courseversion
    FOR EACH ROW EXECUTE FUNCTION catalog_courseversion_published_immutable();
"""
REMOVE = """
DROP TRIGGER IF EXISTS catalog_courseversion_published_immutable ON catalog_courseversion;
DROP FUNCTION IF EXISTS catalog_courseversion_published_immutable();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_course_versions"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(IMMUTABLE), on_postgresql(REMOVE), elidable=False),
    ]
