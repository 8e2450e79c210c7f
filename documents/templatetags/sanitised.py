"""The ``sanitised`` filter: show stored comment HTML without ``|safe``."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from documents.annotations.sanitise import clean_html

register = template.Library()


@register.filter
def sanitised(html: str | None) -> SafeString:
    """``html`` cleaned against the comment allow-list, ready to insert.

    Comment HTML is rendered by ``sanitise.render_markdown`` when it is written;
    running the allow-list again here is cheap and means nothing reaches a page
    that today's rules would not allow, whatever wrote the row.
    """
    return mark_safe(clean_html(html or ""))  # noqa: S308 (nh3 allow-list applied on this line)
