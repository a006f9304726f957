"""Loaders turn each supported format into text, and say clearly which file they could not read."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.retrieval.documents import UnreadableDocumentError, load

PARAGRAPH = "Leaders of partnerships must negotiate rather than command, trading objectives with partners."


def test_markdown_front_matter_supplies_source_title_and_citation(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text(f'---\ntitle: "T"\ncitation: "C (2020)"\nsource_id: "s-1"\n---\n# T\n\n{PARAGRAPH}\n')
    doc = load(path)
    assert (doc.source, doc.title, doc.citation) == ("s-1", "T", "C (2020)")
    assert PARAGRAPH in doc.text


def test_html_keeps_headings_and_paragraphs_and_drops_navigation(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(f"<html><head><title>Page</title><script>x()</script></head><body><nav>Home | Jobs</nav>"
                    f"<h2>Section</h2><p>{PARAGRAPH}</p><footer>Sign up</footer></body></html>")
    doc = load(path)
    assert doc.title == "Page"
    assert "## Section" in doc.text and PARAGRAPH in doc.text
    assert "Jobs" not in doc.text and "Sign up" not in doc.text and "x()" not in doc.text


def test_pdf_text_is_extracted(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "guide.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawString(72, 800, PARAGRAPH)
    pdf.save()
    assert "trading objectives" in load(path).text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", b"", "empty"),
        ("blank.txt", b"   \n\n ", "empty"),
        ("binary.txt", b"\x00\x01\x02" * 100, "binary"),
        ("corrupt.pdf", b"%PDF-1.4 this is not really a pdf", "PDF"),
        ("bad-front-matter.md", b"---\ntitle: [unclosed\n---\nbody text that is long enough here", "front matter"),
    ],
)
def test_unreadable_files_are_reported_by_name_with_the_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableDocumentError, match=reason):
        load(path)
