"""Turn files into blocks: .txt, .md, .html/.htm, .pdf (text layer) and .docx.

Each loader keeps the document's structure (headings, paragraphs, list items) so the
chunker can cut at natural boundaries and cite a heading path. A file that cannot
be read raises ``DocumentError`` with a one-line reason the user can act on.

    >>> doc = load(Path("data/corpus/india-us-cooperation-trade-energy-defence.txt"))
    >>> doc.blocks[0].kind
    'paragraph'
"""

from __future__ import annotations

import logging
import re
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

from core.errors import DocumentError, UnsupportedFileError
from core.text import ends_with_abbreviation

from .blocks import Block, LoadedDocument

_BULLET_ONLY = re.compile(r"^\s*[-•*–·▪◦]\s*$")
_BULLET = re.compile(r"^\s*(?:[-•*–·▪◦]|\d{1,3}[.)])\s+(?=\S)")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}\.\s+\S")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_MD_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images keep their alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their label
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])"), r"\1"),
    (re.compile(r"<[^>]+>"), ""),
]


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise DocumentError(f"{path.name}: binary content, not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DocumentError(
            f"{path.name}: not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "save it as UTF-8 and ingest again"
        ) from None


def _is_plain_heading(line: str, next_line: str | None) -> bool:
    """A short line without closing punctuation, with text after it, is a heading."""
    words = line.split()
    if not words or len(words) > 12:
        return False
    if line[-1] in ".,;:!\"”'’)" and not ends_with_abbreviation(line):
        return False
    if _BULLET.match(line) and not _NUMBERED_HEADING.match(line):
        return False
    return next_line is not None


def load_text(path: Path) -> LoadedDocument:
    """Plain text: one block per line or blank-line paragraph.

    Bullets broken across lines (a ``-`` alone, the item on the next line) are joined
    into one list item; short unpunctuated lines before prose become headings.
    """
    lines = [line.strip() for line in _decode(path, path.read_bytes()).splitlines()]
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        following = next((rest for rest in lines[i + 1 :] if rest), None)
        if not line:
            i += 1
            continue
        if _BULLET_ONLY.match(line):
            if following is not None:
                j = lines.index(following, i + 1)
                blocks.append(Block("item", following))
                i = j + 1
            else:
                i += 1
            continue
        if _BULLET.match(line) and not _NUMBERED_HEADING.match(line):
            blocks.append(Block("item", _BULLET.sub("", line)))
        elif _is_plain_heading(line, following):
            level = 3 if _NUMBERED_HEADING.match(line) else 2
            if blocks and blocks[-1].kind == "heading":
                level = blocks[-1].level + 1  # a heading right under a heading is its child
            blocks.append(Block("heading", line, level=level))
        else:
            blocks.append(Block("paragraph", line))
        i += 1
    return LoadedDocument(title=_title_from_name(path), blocks=blocks)


def load_markdown(path: Path) -> LoadedDocument:
    text = _decode(path, path.read_bytes())
    blocks: list[Block] = []
    buffer: list[str] = []
    kind = "paragraph"
    in_fence = False

    def flush() -> None:
        nonlocal buffer
        if buffer:
            joined = " ".join(buffer) if kind != "code" else "\n".join(buffer)
            blocks.append(Block("paragraph" if kind == "code" else kind, _md_inline(joined)))  # type: ignore[arg-type]
        buffer = []

    for raw in text.splitlines():
        line = raw.rstrip()
        if line.lstrip().startswith(("```", "~~~")):
            flush()
            in_fence = not in_fence
            kind = "code" if in_fence else "paragraph"
            continue
        if in_fence:
            buffer.append(line)
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            flush()
            blocks.append(Block("heading", _md_inline(heading.group(2)), level=len(heading.group(1))))
        elif not line.strip() or re.fullmatch(r"\s*([-*_])(\s*\1){2,}\s*", line):
            flush()
            kind = "paragraph"
        elif _MD_ITEM.match(line):
            flush()
            kind = "item"
            buffer.append(_MD_ITEM.sub("", line))
        else:
            buffer.append(line.strip().lstrip("> ").strip())
    flush()
    title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), _title_from_name(path))
    return LoadedDocument(title=title, blocks=blocks)


def _md_inline(text: str) -> str:
    for pattern, replacement in _MD_INLINE:
        text = pattern.sub(replacement, text)
    return text


_HTML_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_HTML_LEAVES = {"p", "li", "pre", "dt", "dd", "td", "th", "caption", "figcaption", "blockquote", "address"}
_HTML_SKIP = {"script", "style", "noscript", "template", "nav", "footer", "svg", "form", "button", "iframe", "head"}
_HTML_SKIP_ROLES = ["navigation", "search", "banner", "contentinfo", "complementary"]
_PERMALINKS = {"¶", "#", "§", "🔗"}
_HTML_BLOCKS = _HTML_LEAVES | set(_HTML_HEADINGS) | {
    "div", "section", "article", "main", "header", "aside", "ul", "ol", "dl", "table",
    "thead", "tbody", "tfoot", "tr", "body", "html", "figure", "details", "summary",
}  # fmt: skip


def load_html(path: Path) -> LoadedDocument:
    from bs4 import BeautifulSoup, NavigableString, Tag, XMLParsedAsHTMLWarning

    with warnings.catch_warnings():
        # XHTML pages (DocBook output, for one) parse fine as HTML; the warning is noise.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(_decode(path, path.read_bytes()), "lxml")
    title_tag = soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else ""
    for tag in soup.find_all(_HTML_SKIP):
        tag.decompose()
    # Landmarks that are not the page's content (site navigation, sidebars, search,
    # banners, footers; Sphinx, MkDocs and most themes mark them), and the permalink
    # anchors themes put after headings ("¶", "#"), which would end every heading.
    for tag in soup.find_all(attrs={"role": _HTML_SKIP_ROLES}):
        tag.decompose()
    for tag in soup.find_all(class_="footer"):  # the <footer> of themes older than HTML5
        tag.decompose()
    for anchor in soup.find_all("a"):
        if anchor.get_text(strip=True) in _PERMALINKS:
            anchor.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    blocks: list[Block] = []

    def text_of(node: Tag) -> str:
        parts = []
        for child in node.children:
            if isinstance(child, NavigableString):
                parts.append(str(child))
            elif isinstance(child, Tag) and child.name not in ("ul", "ol", "dl", "table"):
                parts.append(child.get_text(""))
        return " ".join("".join(parts).split())

    # Iterative walk: deeply nested markup must not exhaust Python's recursion limit.
    stack: list[Tag | NavigableString] = [soup.body or soup]
    while stack:
        node = stack.pop()
        if isinstance(node, NavigableString):
            if type(node) is NavigableString and str(node).strip():
                blocks.append(Block("paragraph", " ".join(str(node).split())))
            continue
        name = node.name
        if name in _HTML_HEADINGS:
            blocks.append(Block("heading", node.get_text(" ", strip=True), level=_HTML_HEADINGS[name]))
            continue
        if name in _HTML_LEAVES and not any(isinstance(c, Tag) and c.name in _HTML_BLOCKS for c in node.descendants):
            # Inline markup joins without spaces ("<b>grow</b>." reads "grow.").
            blocks.append(Block("item" if name == "li" else "paragraph", " ".join(node.get_text("").split())))
            continue
        if name == "li":
            own = text_of(node)
            if own:
                blocks.append(Block("item", own))
            stack.extend(
                reversed([c for c in node.children if isinstance(c, Tag) and c.name in ("ul", "ol", "dl", "table")])
            )
            continue
        if name not in _HTML_BLOCKS and name not in ("[document]",):
            # Inline element outside any paragraph (a bare <span> in a <div>).
            text = node.get_text(" ", strip=True)
            if text:
                blocks.append(Block("paragraph", text))
            continue
        stack.extend(reversed(list(node.children)))
    blocks = [b for b in blocks if b.text.strip()]
    if not title:
        title = next((b.text for b in blocks if b.kind == "heading"), _title_from_name(path))
    return LoadedDocument(title=title, blocks=blocks)


def load_pdf(path: Path) -> LoadedDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs its repairs ("EOF marker not found") as warnings; the reason that
    # matters reaches the user through DocumentError instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
        metadata_title = (reader.metadata.title if reader.metadata else None) or ""
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as err:
        raise DocumentError(f"{path.name}: not a readable PDF ({err}); re-export it and ingest again") from None
    blocks: list[Block] = []
    for number, page_text in enumerate(pages, start=1):
        for paragraph in _pdf_paragraphs(page_text):
            kind = "item" if _BULLET.match(paragraph) else "paragraph"
            blocks.append(Block(kind, _BULLET.sub("", paragraph) if kind == "item" else paragraph, page=number))
    if not any(b.text.strip() for b in blocks):
        raise DocumentError(f"{path.name}: the PDF has no text layer (scanned?); run OCR on it first")
    return LoadedDocument(title=str(metadata_title).strip() or _title_from_name(path), blocks=blocks)


def _pdf_paragraphs(page_text: str) -> list[str]:
    """Rejoin the hard-wrapped lines of a PDF page into paragraphs."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in page_text.splitlines():
        line = line.strip()
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if current and (_BULLET.match(line) or current[-1].endswith((".", "!", "?", ":"))):
            paragraphs.append(" ".join(current))
            current = []
        if current and current[-1].endswith("-") and line[:1].islower():
            current[-1] = current[-1][:-1] + line  # a word hyphenated across lines
        else:
            current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


# A .docx is a zip; one that expands past this is refused before it is parsed.
MAX_DOCX_EXPANDED_BYTES = 200 * 1024 * 1024


def load_docx(path: Path) -> LoadedDocument:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as err:
        raise DocumentError(f"{path.name}: not a readable .docx file ({err})") from None
    if expanded > MAX_DOCX_EXPANDED_BYTES:
        raise DocumentError(
            f"{path.name}: expands to {expanded // (1024 * 1024)} MB, over the "
            f"{MAX_DOCX_EXPANDED_BYTES // (1024 * 1024)} MB limit for a .docx; it is refused as a likely zip bomb"
        )
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise DocumentError(f"{path.name}: not a readable .docx file ({err})") from None
    blocks: list[Block] = []
    for paragraph in document.paragraphs:
        text = " ".join(paragraph.text.split())
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level_match = re.match(r"Heading (\d)", style)
        if style == "Title":
            blocks.append(Block("heading", text, level=1))
        elif level_match:
            blocks.append(Block("heading", text, level=int(level_match.group(1))))
        elif style.startswith("List"):
            blocks.append(Block("item", text))
        else:
            blocks.append(Block("paragraph", text))
    for table in document.tables:
        for row in table.rows:
            cells = [" ".join(cell.text.split()) for cell in row.cells]
            row_text = " | ".join(dict.fromkeys(c for c in cells if c))
            if row_text:
                blocks.append(Block("paragraph", row_text))
    title = (document.core_properties.title or "").strip()
    if not title:
        title = next((b.text for b in blocks if b.kind == "heading"), _title_from_name(path))
    return LoadedDocument(title=title, blocks=blocks)


def _title_from_name(path: Path) -> str:
    return re.sub(r"[-_]+", " ", path.stem).strip().capitalize() or path.name


LOADERS: dict[str, Callable[[Path], LoadedDocument]] = {
    ".txt": load_text,
    ".text": load_text,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".html": load_html,
    ".htm": load_html,
    ".pdf": load_pdf,
    ".docx": load_docx,
}


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in LOADERS


def load(path: Path) -> LoadedDocument:
    """Load one file, raising ``DocumentError`` with a one-line reason on failure."""
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        supported = ", ".join(sorted(LOADERS))
        raise UnsupportedFileError(f"{path.name}: unsupported file type; supported: {supported}")
    try:
        document = loader(path)
    except DocumentError:
        raise
    except OSError as err:
        raise DocumentError(f"{path.name}: cannot be read ({err.strerror or err})") from None
    except Exception as err:  # a parser's own failure on a malformed file
        raise DocumentError(f"{path.name}: cannot be parsed ({type(err).__name__}: {err})") from None
    if not any(block.text.strip() for block in document.blocks):
        raise DocumentError(f"{path.name}: the document is empty")
    return document
