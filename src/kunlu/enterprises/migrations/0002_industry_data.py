"""Install GB/T 4754-2017 (the shipped data file) so a fresh deployment has the classification."""

from django.db import migrations


def install(apps, schema_editor):
    from kunlu.enterprises.industries import industry_rows

    Industry = apps.get_model("enterprises", "Industry")
    existing = {i.code: i for i in Industry.objects.all()}
    for row in industry_rows():
        if row.code in existing:
            continue
        existing[row.code] = Industry.objects.create(
            code=row.code,
            name=row.name,
            level=row.level,
            parent=existing.get(row.parent) if row.parent else None,
            section=row.section,
            sort=row.sort,
        )


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
