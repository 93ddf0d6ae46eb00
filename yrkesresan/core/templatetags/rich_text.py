from django import template

from yrkesresan.core import rich_text

register = template.Library()


@register.filter
def markdown(source):
    """{{ text|markdown }}: editors' Markdown as sanitised HTML (core.rich_text)."""
    return rich_text.render(source)
