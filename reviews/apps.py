from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "CBP reviews"

    def ready(self) -> None:
        from reviews import signals  # noqa: F401  (connects the receivers)
