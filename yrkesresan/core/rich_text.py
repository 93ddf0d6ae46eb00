"""Rich text: editors write Markdown; readers get HTML that no script survives.

Markdown is rendered by markdown-it-py (CommonMark, raw HTML in the source escaped, not passed
through) and the result is cleaned by nh3 (the Ammonia sanitiser) against a short allowlist:
paragraphs, emphasis, lists, headings from h3 down, quotes, code and links with http, https or
mailto only. So even a renderer bug cannot put a script, an event handler or a javascript: link
on a page.
"""

import markdown_it
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "h3", "h4", "h5", "h6", "blockquote",
    "code", "pre", "a", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = markdown_it.MarkdownIt("commonmark", {"html": False})


def clean_html(html):
    """`html` with everything outside the allowlist removed; links get rel=noopener etc."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def render(source):
    """The Markdown `source` as safe HTML (marked safe for templates)."""
    return mark_safe(clean_html(_markdown.render(source or "")))  # noqa: S308 - cleaned by nh3
