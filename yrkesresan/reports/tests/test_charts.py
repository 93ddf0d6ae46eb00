"""Charts: SVG that the Content Security Policy lets through, named and described for
assistive technology, drawn once for the same figures."""

from unittest import mock

from django.core.cache import cache
from django.test import SimpleTestCase

from yrkesresan.reports import charts


def draw(values):
    return charts.bar_chart(
        ident="c",
        title="Titel",
        description="Beskrivning",
        labels=["VT 2026", "HT 2026"],
        series=[("Anmälda", values)],
    )


class BarChartTests(SimpleTestCase):
    def setUp(self):
        cache.clear()

    def test_the_svg_is_an_image_named_and_described_with_no_inline_style(self):
        svg = draw([3, 4])
        self.assertIn('role="img"', svg)
        self.assertIn('<title id="c-title">Titel</title>', svg)
        self.assertIn('<desc id="c-desc">Beskrivning</desc>', svg)
        self.assertIn('aria-labelledby="c-title"', svg)
        self.assertNotIn("<style", svg)
        self.assertNotIn("style=", svg)
        self.assertNotIn("<script", svg)

    def test_the_same_figures_are_drawn_once_and_new_figures_anew(self):
        with mock.patch.object(charts, "_draw", wraps=charts._draw) as drawn:
            first = draw([3, 4])
            self.assertEqual(draw([3, 4]), first)
            self.assertNotEqual(draw([3, 5]), first)
        self.assertEqual(drawn.call_count, 2)

    def test_text_from_the_data_is_escaped(self):
        svg = charts.bar_chart(
            ident="x", title="<b>", description="&", labels=["<script>"], series=[("s", [1])]
        )
        self.assertNotIn("<script>", svg)
        self.assertIn("&lt;b&gt;", svg)
