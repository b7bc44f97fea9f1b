from django.apps import AppConfig


class RecordkeepersConfig(AppConfig):
    name = "recordkeepers"
    verbose_name = "Recordkeepers and accounts"
