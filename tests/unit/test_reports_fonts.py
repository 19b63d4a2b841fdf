"""User text reaches the PDF escaped and in a font that has its characters."""

from __future__ import annotations

import pytest

from frontdesk.reports.fonts import CJK, SANS_BOLD, fit_line, markup, needs_fallback, runs_width


def test_markup_escapes_what_paragraphs_would_read_as_tags() -> None:
    assert markup("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert markup("line one\nline two") == "line one<br/>line two"


def test_only_the_chinese_run_switches_font() -> None:
    out = markup("Anna 王秀英 & Zoë")
    assert out == f'Anna <font name="{CJK}">王秀英</font> &amp; Zoë'
    assert needs_fallback("王秀英") and not needs_fallback("Nguyễn Thị Ánh Łukasz")


@pytest.mark.parametrize("text", ["Glenora Acupuncture & Physiotherapy " * 4, "王秀英" * 40])
def test_fit_line_never_exceeds_the_width(text: str) -> None:
    fitted, size = fit_line(text, 300, 16, SANS_BOLD, min_size=11)
    assert runs_width(fitted, size, SANS_BOLD) <= 300
    assert size == 11 and fitted.endswith("\u2026")


def test_fit_line_keeps_text_that_fits() -> None:
    assert fit_line("Glenora Clinic", 300, 16, SANS_BOLD, min_size=11) == ("Glenora Clinic", 16)
