"""What the admin's tabular inlines need to be usable with a screen reader.

A tabular inline shows its fields' labels once, as column headings; the inputs themselves have
no label, so a screen reader announces an unnamed select in every cell (axe-core: "select-name",
critical). Each input gets an `aria-label` naming its field and its row.
"""

from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _


class LabelledInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        noun = str(self.model._meta.verbose_name)
        row = (
            _("%(noun)s %(number)s") % {"noun": noun, "number": index + 1}
            if index is not None
            else _("new %(noun)s") % {"noun": noun}
        )
        for field in form.fields.values():
            label = str(field.label or "")
            if label and not field.widget.is_hidden:
                field.widget.attrs["aria-label"] = f"{label[:1].upper()}{label[1:]} ({row})"
