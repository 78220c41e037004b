"""Documents published with an edition."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from statements import uploads
from statements.models.editions import Edition


class Attachment(models.Model):
    """A document published with a statement: PDF or office formats only."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=uploads.attachment_path)
    media_type = models.CharField(_("media type"), max_length=120, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def type_label(self) -> str:
        from statements.uploads import ATTACHMENT_TYPES

        return ATTACHMENT_TYPES.get(self.media_type, self.media_type)
