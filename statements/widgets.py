"""Form controls of the public statement list, drawn in Python.

Django draws a widget through its form templates: a template for the `<select>`, one include
per `<option>` and one more for each element's attributes. For the four filters of the
statement list that came to about 4 ms of a page that is drawn anew after every change of
the statements (profiled on PostgreSQL with 1,000 statements). These widgets take the same
context from Django (`get_context`: the name, value, attributes, `aria-invalid` and
`aria-describedby`, each option with its `selected`) and write the markup Django's
templates write, escaped by `format_html`. tests/statements/test_widgets.py compares them
with Django's own rendering.
"""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def attributes(attrs: dict) -> SafeString:
    """What django/forms/widgets/attrs.html writes: in their order, `True` as a bare name,
    `False` left out (Django's `flatatt` sorts them instead)."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class PythonSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [
            format_html('<select name="{}"{}>', widget["name"], attributes(widget["attrs"]))
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    str(option["value"]),
                    attributes(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 (each part escaped by format_html)


class PythonTextInput(forms.TextInput):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        given = widget["value"]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            format_html(' value="{}"', str(given)) if given is not None else "",
            attributes(widget["attrs"]),
        )
