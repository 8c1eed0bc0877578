from django.db import migrations

from jigai.core import reference


def load(apps, schema_editor):
    Region = apps.get_model("core", "Region")
    Industry = apps.get_model("core", "Industry")
    ChampionIndustry = apps.get_model("core", "ChampionIndustry")
    code, name, short, division = reference.PREFECTURE
    Region.objects.update_or_create(
        code=code, defaults={"name": name, "short_name": short, "division_code": division,
                             "level": "prefecture", "project_quota": 0, "sort_order": 0},
    )
    for order, (code, name, short, division, quota) in enumerate(reference.REPORTING_UNITS, start=1):
        Region.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short, "division_code": division,
                                 "level": "unit", "project_quota": quota, "sort_order": order},
        )
    for code, name, section in reference.INDUSTRIES:
        Industry.objects.update_or_create(code=code, defaults={"name": name, "section": section})
    for code, name in reference.CHAMPION_INDUSTRIES:
        ChampionIndustry.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
