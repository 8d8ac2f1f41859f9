from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import DocumentError, UnsupportedFileError
from core.text import sentence_spans
from ingest.loaders import load
from ingest.normalize import normalise

from ..conftest import SEED_DOC


def blocks(path: Path) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in load(path).blocks]


def test_text_joins_bullets_broken_across_lines_and_finds_headings() -> None:
    doc = normalise(load(SEED_DOC))
    assert "\n-\n" not in doc.text
    kinds = {doc.text[s.start : s.end]: s.kind for s in doc.spans}
    assert kinds["What triggered this intensification of engagement"] == "item"
    assert kinds["Why Now? The Strategic Rationale"] == "heading"
    assert kinds["Benefits for the U.S."] == "heading"
    assert kinds["In this blog, we’ll explore:"] == "paragraph"
    # Items follow one another on single lines, blocks are separated by a blank line.
    assert "What triggered this intensification of engagement\nThe key domains" in doc.text


def test_markdown_headings_items_and_inline_markup(tmp_path: Path) -> None:
    path = tmp_path / "guide.md"
    path.write_text(
        "# Guide\n\nIntro with a [link](http://x.example) and **bold** text.\n\n"
        "## Setup\n\n- first *step*\n- second `step`\n\n```\ncode line\n```\n",
        encoding="utf-8",
    )
    assert blocks(path) == [
        ("heading", "Guide"),
        ("paragraph", "Intro with a link and bold text."),
        ("heading", "Setup"),
        ("item", "first step"),
        ("item", "second step"),
        ("paragraph", "code line"),
    ]
    assert load(path).title == "Guide"


def test_markdown_table_rows_are_rows_as_html_ones_are(tmp_path: Path) -> None:
    """A pipe table is one row block per line, its cells parted by tabs, its delimiter
    line gone: not one paragraph running every cell of the table together."""
    path = tmp_path / "loans.md"
    path.write_text(
        "## Loans\n\nHow long each item can be borrowed:\n\n"
        "| Item | Loan period | Late charge |\n|---|:---:|---:|\n"
        "| Board games | 2 weeks | 30p |\n|  **DVDs**  | 1 week |  |\n"
        "| A \\| B | 3 days | 5p |\n\nAfter the table.\n"
        "Not | a table, no delimiter line.\n",
        encoding="utf-8",
    )
    assert blocks(path) == [
        ("heading", "Loans"),
        ("paragraph", "How long each item can be borrowed:"),
        ("row", "Item\tLoan period\tLate charge"),
        ("row", "Board games\t2 weeks\t30p"),
        ("row", "DVDs\t1 week"),
        ("row", "A | B\t3 days\t5p"),
        ("paragraph", "After the table. Not | a table, no delimiter line."),
    ]
    doc = normalise(load(path))
    assert [s for _, _, s in sentence_spans(doc.text)][2:6] == ["Item", "Loan period", "Late charge", "Board games"]


def test_html_drops_theme_navigation_footers_and_permalinks(tmp_path: Path) -> None:
    """A Sphinx page as Debian's python3-doc ships it: sidebars and the related-pages bar
    are ARIA navigation, the footer a div, and every heading ends in a "¶" anchor."""
    path = tmp_path / "zlib.html"
    path.write_text(
        '<html><body><div class="related" role="navigation"><h3>Navigation</h3><ul><li>index</li></ul></div>'
        '<div class="body" role="main"><h1>zlib<a class="headerlink" href="#z">¶</a></h1>'
        '<p>Compression <a href="gzip.html">compatible with gzip</a>.</p></div>'
        '<div class="sphinxsidebar" role="navigation"><h3>This Page</h3><p>Report a Bug</p></div>'
        '<div role="search"><p>Quick search</p></div><div class="footer">© Copyright 2001-2023.</div>'
        "</body></html>",
        encoding="utf-8",
    )
    assert blocks(path) == [("heading", "zlib"), ("paragraph", "Compression compatible with gzip.")]


def test_html_keeps_structure_and_drops_scripts(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Energy page</title><style>p{}</style></head><body>"
        "<nav>Home | About</nav><h1>Energy</h1><div><p>LNG exports <b>grow</b>.</p>"
        "<ul><li>Oil<ul><li>Crude</li></ul></li><li>Gas</li></ul></div>"
        "<script>alert('x')</script><div>Loose text</div></body></html>",
        encoding="utf-8",
    )
    assert blocks(path) == [
        ("heading", "Energy"),
        ("paragraph", "LNG exports grow."),
        ("item", "Oil"),
        ("item", "Crude"),
        ("item", "Gas"),
        ("paragraph", "Loose text"),
    ]
    assert load(path).title == "Energy page"


def test_html_table_rows_keep_their_cells_together(tmp_path: Path) -> None:
    """A key binding and what it does are one row: one line, cells parted by a tab, each
    cell still a sentence of its own; a cell holding a list is read as blocks."""
    path = tmp_path / "screen.html"
    path.write_text(
        "<html><body><p>Table 9.2. List of key bindings for screen</p><table>"
        "<thead><tr><th>key binding</th><th>meaning</th></tr></thead><tbody>"
        "<tr><td><code>^A c</code></td><td>create a  new window\nand switch to it</td></tr>"
        "<tr><td>^A n</td><td></td></tr>"
        "<tr><td><p>^A d</p></td><td><p>detach the session</p><p>and keep it running</p></td></tr>"
        "<tr><td>^A ?</td><td><ul><li>show a help screen</li></ul></td></tr>"
        "</tbody></table><p>After the table.</p></body></html>",
        encoding="utf-8",
    )
    assert blocks(path) == [
        ("paragraph", "Table 9.2. List of key bindings for screen"),
        ("row", "key binding\tmeaning"),
        ("row", "^A c\tcreate a new window and switch to it"),
        ("row", "^A n"),
        ("row", "^A d\tdetach the session and keep it running"),
        ("paragraph", "^A ?"),
        ("item", "show a help screen"),
        ("paragraph", "After the table."),
    ]
    doc = normalise(load(path))
    assert doc.text == (
        "Table 9.2. List of key bindings for screen\n\nkey binding\tmeaning\n^A c\tcreate a new window and "
        "switch to it\n^A n\n^A d\tdetach the session and keep it running\n\n^A ?\n\nshow a help screen\n\nAfter the table."
    )
    assert [s for _, _, s in sentence_spans(doc.text)][3:6] == [
        "meaning",
        "^A c",
        "create a new window and switch to it",
    ]


def test_deeply_nested_html_does_not_exhaust_recursion(tmp_path: Path) -> None:
    path = tmp_path / "deep.htm"
    path.write_text("<div>" * 3000 + "<p>deep text here</p>" + "</div>" * 3000, encoding="utf-8")
    assert ("paragraph", "deep text here") in blocks(path)


def test_xhtml_with_an_xml_declaration_is_read(tmp_path: Path) -> None:
    # DocBook output (Debian's FAQ and Reference): an encoding declaration, a DOCTYPE, a namespace.
    path = tmp_path / "faq.html"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 '
        'Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><html '
        'xmlns="http://www.w3.org/1999/xhtml"><head><title>The FAQ</title></head><body>'
        "<h2>Getting started</h2><p>Install the <code>apt</code> tool first.</p></body></html>",
        encoding="utf-8",
    )
    document = load(path)
    assert document.title == "The FAQ"
    assert blocks(path) == [("heading", "Getting started"), ("paragraph", "Install the apt tool first.")]


def test_text_either_side_of_a_break_a_comment_or_a_skipped_element_stays_apart(tmp_path: Path) -> None:
    path = tmp_path / "pieces.html"
    path.write_text(
        "<html><body><div>First line<br>Second line<!-- a note -->Third part<script>x()</script>Fourth"
        "</div><p>One <b>bold</b> word<br>and more.</p></body></html>",
        encoding="utf-8",
    )
    assert blocks(path) == [
        ("paragraph", "First line"),
        ("paragraph", "Second line"),
        ("paragraph", "Third part"),
        ("paragraph", "Fourth"),
        ("paragraph", "One bold word and more."),
    ]


def test_pdf_keeps_page_numbers(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    for text in ("Page one talks about trade agreements.", "Page two talks about energy security."):
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 10, text)
    path = tmp_path / "report.pdf"
    pdf.output(str(path))
    loaded = load(path)
    assert [(b.text, b.page) for b in loaded.blocks] == [
        ("Page one talks about trade agreements.", 1),
        ("Page two talks about energy security.", 2),
    ]


def test_docx_headings_lists_and_tables(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Quarterly review", level=1)
    document.add_paragraph("Trade grew strongly.")
    document.add_paragraph("Energy deals", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "LNG"
    table.rows[0].cells[1].text = "rising"
    path = tmp_path / "review.docx"
    document.save(str(path))
    assert blocks(path) == [
        ("heading", "Quarterly review"),
        ("paragraph", "Trade grew strongly."),
        ("item", "Energy deals"),
        ("row", "LNG\trising"),
    ]
    assert load(path).title == "Quarterly review"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "broken.pdf: not a readable PDF"),
        ("latin1.txt", "caf\xe9 cr\xe8me".encode("latin-1"), "latin1.txt: not valid UTF-8 (byte 0xe9 at offset 3)"),
        ("blob.txt", b"\x00\x01\x02binary\x00", "blob.txt: binary content, not a text file"),
        ("empty.md", b"   \n\n", "empty.md: the document is empty"),
        ("fake.docx", b"not a zip", "fake.docx: not a readable .docx file"),
    ],
    ids=["corrupt-pdf", "bad-encoding", "binary-as-text", "empty", "corrupt-docx"],
)
def test_unreadable_files_give_a_one_line_reason(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as caught:
        load(path)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_unsupported_type(tmp_path: Path) -> None:
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"x")
    with pytest.raises(UnsupportedFileError, match=r"sheet.xlsx: unsupported file type; supported: .docx, .htm"):
        load(path)
