"""Data access: which divisions a user's data scope covers."""

from django.conf import settings
from django.db import models

from recruitment.models.reference import Division


class DataScope(models.Model):
    """The divisions whose vacancies, applications and checks a user may see (or all of them).

    A user without a DataScope sees nothing (superusers see everything). The back-office, the admin and the
    partner API all read it through `recruitment.selectors.scope`.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_scope")
    all_divisions = models.BooleanField(default=False, help_text="Sees every division, present and future.")
    divisions = models.ManyToManyField(Division, blank=True, related_name="+")

    def __str__(self) -> str:
        return f"Data scope of {self.user}"
