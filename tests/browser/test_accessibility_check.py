"""The accessibility check itself: it finds and names a violation, on a fresh document and
again after the width changes (axe is injected once per document)."""

import pytest

from .conftest import PHONE_WIDTH, assert_accessible

BROKEN = (
    "<!doctype html><html lang='sv'><head><title>Prov</title></head>"
    "<body><main><h1>Prov</h1><img src='data:,'></main></body></html>"
)


def test_the_check_names_a_violation_at_both_widths(page):
    page.set_content(BROKEN)
    for width in (1280, PHONE_WIDTH):
        page.set_viewport_size({"width": width, "height": 800})
        with pytest.raises(AssertionError, match="image-alt"):
            assert_accessible(page)


def test_the_check_passes_the_same_page_mended(page):
    page.set_content(BROKEN.replace("<img src='data:,'>", "<img src='data:,' alt='Prov'>"))
    assert_accessible(page)
