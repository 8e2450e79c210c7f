"""Template helpers for the public pages: JSON-LD and language tags."""

import json
import re

from django import template
from django.conf.locale import LANG_INFO
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The same escapes as Django's json_script: nothing inside the JSON can close the element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


@register.simple_tag
def json_ld(data: dict) -> str:
    """``data`` in a ``<script type="application/ld+json">`` element.

    The JSON is escaped so ``<``, ``>`` and ``&`` cannot end the element or
    start markup, which makes it safe to mark the result safe.
    """
    encoded = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    escaped = mark_safe(encoded.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 (escaped right here)
    return format_html('<script type="application/ld+json">{}</script>', escaped)


@register.filter
def language_tag(value: str) -> str:
    """``value`` if it looks like a BCP 47 language tag, else "" (an invalid ``lang`` is worse than none)."""
    value = (value or "").strip()
    return value if _LANGUAGE_TAG.fullmatch(value) else ""


@register.filter
def language_name(value: str) -> str:
    """ "English" for "en", "French (fr-CA)" for "fr-CA", the tag itself when Django does not know it."""
    value = (value or "").strip()
    info = LANG_INFO.get(value.lower())
    if info and "name" in info:
        return info["name"]
    primary = LANG_INFO.get(value.split("-")[0].lower())
    if primary and "name" in primary:
        return f"{primary['name']} ({value})"
    return value
