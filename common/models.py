"""Abstract models the apps share."""

from typing import Any, Self

from django.db import models


class SingletonModel(models.Model):
    """A table of one row (pk 1) of settings kept by admins: read with `Model.current()`, which
    creates the row with its defaults on first use. A subclass adds its `CheckConstraint(pk=1)`
    under its own name (constraint names are unique per database)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> Self:
        row, _ = cls._default_manager.get_or_create(pk=1)
        return row
