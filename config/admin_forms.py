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

        def row(number) -> str:
            return _("%(noun)s %(number)s") % {"noun": noun, "number": number}

        for field in form.fields.values():
            label = str(field.label or "")
            if not label or field.widget.is_hidden:
                continue
            label = f"{label[:1].upper()}{label[1:]}"
            if index is not None:
                field.widget.attrs["aria-label"] = f"{label} ({row(index + 1)})"
            else:
                # The template of rows added in the page: admin-forms.js numbers each copy.
                new_row = _("new %(noun)s") % {"noun": noun}
                field.widget.attrs["aria-label"] = f"{label} ({new_row})"
                field.widget.attrs["data-aria-label"] = f"{label} ({row('__number__')})"
