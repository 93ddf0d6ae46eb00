"""Charts as inline SVG, drawn by pygal on the server.

pygal writes a `<style>` element and a few `style` attributes into its SVG, which the page's
Content Security Policy (style-src 'self') would refuse; they are taken out, and the chart is
styled by static/css/charts.css instead. Each chart is an image to assistive technology
(role="img") named by its title and described by its description; the numbers themselves are
in the data table that every chart has beside it.
"""

import hashlib
import xml.etree.ElementTree as ET

import pygal
from django.core.cache import cache
from django.utils.safestring import mark_safe
from pygal.style import Style

# The sizes charts.css gives the text, so that pygal leaves room enough for the labels.
STYLE = Style(
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    title_font_size=16,
)

SVG = "http://www.w3.org/2000/svg"


def _config(**options):
    return {
        "js": [],
        "disable_xml_declaration": True,
        "show_legend": True,
        "legend_at_bottom": True,
        "print_values": False,
        "tooltip_fancy_mode": False,
        "style": STYLE,
        "truncate_label": 28,
        "truncate_legend": 40,
        "width": 640,
        "height": 320,
        **options,
    }


# Drawing a chart costs pygal 30–50 ms; the same figures give the same SVG, so each drawing is
# kept in the cache under a digest of everything it is drawn from.
CACHE_SECONDS = 60 * 60


def bar_chart(*, ident, title, description, labels, series, horizontal=False, **options):
    """A bar chart, vertical or `horizontal`: one bar per label and series. `series` is
    [(name, [values])]; `ident` makes the ids of its title and description unique."""
    source = repr((ident, str(title), str(description), labels, series, horizontal, options))
    key = "reports-chart-" + hashlib.sha256(source.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = _draw(ident, title, description, labels, series, horizontal, options)
        cache.set(key, svg, CACHE_SECONDS)
    return mark_safe(svg)  # noqa: S308 - drawn by pygal from our figures, escaped by ElementTree


def _draw(ident, title, description, labels, series, horizontal, options):
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = kind(**_config(**options))
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, values)
    return _accessible(chart, ident, title, description)


def _accessible(chart, ident, title, description):
    root = chart.render_tree()
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{SVG}}}style", "style", f"{{{SVG}}}script", "script"):
                parent.remove(child)
        parent.attrib.pop("style", None)
    # pygal writes the namespace as an attribute too, and names the chart "Pygal".
    root.attrib.pop("xmlns", None)
    for child in list(root):
        if child.tag in (f"{{{SVG}}}title", "title"):
            root.remove(child)
    root.set("role", "img")
    root.set("aria-labelledby", f"{ident}-title")
    root.set("aria-describedby", f"{ident}-desc")
    root.set("id", ident)
    root.set("class", "chart pygal-chart")
    title_element = ET.Element(f"{{{SVG}}}title", {"id": f"{ident}-title"})
    title_element.text = str(title)
    desc_element = ET.Element(f"{{{SVG}}}desc", {"id": f"{ident}-desc"})
    desc_element.text = str(description)
    root.insert(0, desc_element)
    root.insert(0, title_element)
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    return ET.tostring(root, encoding="unicode")
