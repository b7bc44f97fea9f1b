from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="appeals_official")


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="appeals_official").delete()


class Migration(migrations.Migration):
    dependencies = [("recordkeepers", "0006_invitation_sent_at")]

    operations = [migrations.RunPython(create_group, remove_group)]
