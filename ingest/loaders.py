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
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from core.errors import DocumentError, UnsupportedFileError
from core.text import ends_with_abbreviation

from .blocks import Block, LoadedDocument

_BULLET_ONLY = re.compile(r"^\s*[-•*–·▪◦]\s*$")
_BULLET = re.compile(r"^\s*(?:[-•*–·▪◦]|\d{1,3}[.)])\s+(?=\S)")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}\.\s+\S")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
# The line under a pipe table's header ("|---|:---:|"): what makes the line above a header.
_MD_TABLE_RULE = re.compile(r"\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*")
_MD_CELL_BAR = re.compile(r"(?<!\\)\|")
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
    return LoadedDocument(title=title_from_name(path), blocks=blocks)


def load_markdown(path: Path) -> LoadedDocument:
    text = _decode(path, path.read_bytes())
    blocks: list[Block] = []
    buffer: list[str] = []
    kind = "paragraph"
    in_fence = False
    in_table = False

    def row(line: str) -> None:
        # "| a | b |": the outer bars open and close the row; "\|" is a bar inside a cell.
        cells = _MD_CELL_BAR.split(line.strip().removeprefix("|").removesuffix("|"))
        texts = [_md_inline(c.replace("\\|", "|").strip()) for c in cells]
        if any(texts):
            blocks.append(Block("row", "\t".join(t for t in texts if t)))  # empty cells dropped, as HTML's are

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
        if in_table and "|" in line:
            row(line)
            continue
        in_table = False
        if kind == "paragraph" and len(buffer) == 1 and "|" in buffer[0] and _MD_TABLE_RULE.fullmatch(line):
            # A table's rows are rows, as an HTML table's are: each cell a sentence, a later
            # cell shown with the first, not one paragraph of every cell run together.
            header, buffer = buffer[0], []
            row(header)
            in_table = True
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
    title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), title_from_name(path))
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
    """Headings, paragraphs and list items of a web page, without its site furniture.

    Parsed with lxml directly: a BeautifulSoup tree over the same parser gave the same
    blocks at several times the cost, a quarter of ingest time on a documentation site.
    Nothing is removed from the tree; what is skipped is passed over, so text on either
    side of a skipped element stays two pieces, as a reader sees it.
    """
    from lxml import etree
    from lxml import html as lxml_html

    # Bytes, so an XML declaration naming an encoding is allowed.
    data = _decode(path, path.read_bytes()).encode("utf-8")
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=False, huge_tree=True)
    try:
        root = lxml_html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        return LoadedDocument(title=title_from_name(path), blocks=[])
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        # libxml2 drops what is nested more than 2048 elements deep when it builds the
        # tree itself; building it from the parser's events keeps everything.
        root = _deep_tree(data)
    title_tag = next(root.iter("title"), None)
    title = " ".join(_html_strings(title_tag, set(), strip=True)) if title_tag is not None else ""
    skipped: set[etree._Element] = set()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        classes = (element.get("class") or "").split()
        # Landmarks that are not the page's content (site navigation, sidebars, search,
        # banners, footers; Sphinx, MkDocs and most themes mark them), the <footer> of
        # themes older than HTML5, and the permalink anchors themes put after headings
        # ("¶", "#"), which would end every heading.
        if element.tag in _HTML_SKIP or element.get("role") in _HTML_SKIP_ROLES or "footer" in classes:
            skipped.add(element)
    for anchor in root.iter("a"):
        if "".join(_html_strings(anchor, skipped, strip=True)) in _PERMALINKS:
            skipped.add(anchor)
    blocks: list[Block] = []

    def text_of(node: etree._Element) -> str:
        parts = []
        for item in _html_children(node, skipped):
            if isinstance(item, str):
                parts.append(item)
            elif item.tag not in ("ul", "ol", "dl", "table"):
                parts.append("".join(_html_strings(item, skipped)))
        return " ".join("".join(parts).split())

    body = root.find("body")
    # Iterative walk: deeply nested markup must not exhaust Python's recursion limit.
    stack: list[etree._Element | str] = [body if body is not None else root]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if node.strip():
                blocks.append(Block("paragraph", " ".join(node.split())))
            continue
        name = node.tag
        if name in _HTML_HEADINGS:
            blocks.append(
                Block("heading", " ".join(_html_strings(node, skipped, strip=True)), level=_HTML_HEADINGS[name])
            )
            continue
        if name in _HTML_LEAVES and not _has_block_inside(node, skipped):
            # Inline markup joins without spaces ("<b>grow</b>." reads "grow.").
            text = " ".join("".join(_html_strings(node, skipped)).split())
            blocks.append(Block("item" if name == "li" else "paragraph", text))
            continue
        if name == "tr" and (row := _html_row(node, skipped)) is not None:
            # One line per row, its cells apart by tabs: a command and what it does stay
            # together as the reader sees them, and each cell is still its own sentence.
            if row:
                blocks.append(Block("row", "\t".join(row)))
            continue
        if name == "li":
            own = text_of(node)
            if own:
                blocks.append(Block("item", own))
            stack.extend(
                reversed(
                    [
                        c
                        for c in _html_children(node, skipped)
                        if not isinstance(c, str) and c.tag in ("ul", "ol", "dl", "table")
                    ]
                )
            )
            continue
        if name not in _HTML_BLOCKS and node is not root:
            # Inline element outside any paragraph (a bare <span> in a <div>).
            text = " ".join(_html_strings(node, skipped, strip=True))
            if text:
                blocks.append(Block("paragraph", text))
            continue
        stack.extend(reversed(list(_html_children(node, skipped))))
    blocks = [b for b in blocks if b.text.strip()]
    if not title:
        title = next((b.text for b in blocks if b.kind == "heading"), title_from_name(path))
    return LoadedDocument(title=title, blocks=blocks)


class _TreeFromEvents:
    """A parser target that builds the tree itself and forgives unclosed elements."""

    def __init__(self) -> None:
        from lxml import etree

        self.etree = etree
        self.root = etree.Element("html")
        self.stack = [self.root]
        self.last: Any = None  # the element whose tail gets text, if text follows one

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        parent = self.stack[-1]
        element = parent if tag == "html" and parent is self.root else self.etree.SubElement(parent, "x")
        element.tag = tag if re.fullmatch(r"[A-Za-z][\w.-]*", tag) else "span"
        for name, value in attrib.items():
            if re.fullmatch(r"[A-Za-z_][\w.-]*", name):
                element.set(name, value)
        if element is not parent:
            self.stack.append(element)
        self.last = None

    def end(self, tag: str) -> None:
        if len(self.stack) > 1:
            self.last = self.stack.pop()

    def data(self, text: str) -> None:
        if self.last is not None:
            self.last.tail = (self.last.tail or "") + text
        else:
            self.stack[-1].text = (self.stack[-1].text or "") + text

    def comment(self, text: str) -> None:
        self.last = self.etree.SubElement(self.stack[-1], self.etree.Comment)
        self.last.text = text

    def close(self) -> Any:
        return self.root


def _deep_tree(data: bytes) -> Any:
    from lxml import etree

    return etree.fromstring(data, etree.HTMLParser(target=_TreeFromEvents(), encoding="utf-8", huge_tree=True))


def _html_children(node: Any, skipped: set[Any]) -> Iterator[Any]:
    """A node's pieces in order: runs of text, child elements, and a line break for
    ``<br>``; a skipped child or a comment yields nothing but still separates runs."""
    if node.text:
        yield node.text
    for child in node:
        if isinstance(child.tag, str) and child not in skipped:
            yield "\n" if child.tag == "br" else child
        if child.tail:
            yield child.tail


def _html_strings(node: Any, skipped: set[Any], strip: bool = False) -> Iterator[str]:
    """Every run of text inside ``node``, in order (comments and skipped parts left out);
    with ``strip``, stripped and without empty ones."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            text = item.strip() if strip else item
            if text:
                yield text
            continue
        stack.extend(reversed(list(_html_children(item, skipped))))


def _html_row(node: Any, skipped: set[Any]) -> list[str] | None:
    """The non-empty cells of a table row, or None when a cell holds a list, a table or
    a code block of its own, which are then read as blocks. Paragraphs inside a cell
    (Sphinx writes ``<td><p>C-a c</p></td>``) are its text, a space apart."""
    cells = [c for c in _html_children(node, skipped) if not isinstance(c, str) and c.tag in ("td", "th")]
    if not cells or any(_holds(cell, _CELL_BLOCKS, skipped) for cell in cells):
        return None
    texts = (" ".join(" ".join(_cell_parts(cell, skipped)).split()) for cell in cells)
    return [text for text in texts if text]


# What a table cell cannot hold and still be read as one cell of a row.
_CELL_BLOCKS = {"ul", "ol", "dl", "table", "pre"} | set(_HTML_HEADINGS)


def _cell_parts(cell: Any, skipped: set[Any]) -> list[str]:
    """The text of a cell: inline markup joined without spaces, blocks inside it apart."""
    parts = [""]
    for item in _html_children(cell, skipped):
        if isinstance(item, str):
            parts[-1] += item
        elif item.tag in _HTML_BLOCKS:
            parts += [" ".join(_cell_parts(item, skipped)), ""]
        else:
            parts[-1] += "".join(_html_strings(item, skipped))
    return parts


def _holds(node: Any, tags: set[str], skipped: set[Any]) -> bool:
    """Whether an element with one of ``tags`` lies anywhere inside ``node``."""
    stack = [c for c in _html_children(node, skipped) if not isinstance(c, str)]
    while stack:
        element = stack.pop()
        if element.tag in tags:
            return True
        stack.extend(c for c in _html_children(element, skipped) if not isinstance(c, str))
    return False


def _has_block_inside(node: Any, skipped: set[Any]) -> bool:
    return _holds(node, _HTML_BLOCKS, skipped)


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
            kind: Literal["item", "paragraph"] = "item" if _BULLET.match(paragraph) else "paragraph"
            blocks.append(Block(kind, _BULLET.sub("", paragraph) if kind == "item" else paragraph, page=number))
    if not any(b.text.strip() for b in blocks):
        raise DocumentError(f"{path.name}: the PDF has no text layer (scanned?); run OCR on it first")
    return LoadedDocument(title=str(metadata_title).strip() or title_from_name(path), blocks=blocks)


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
            # A merged cell is repeated in every column it spans: it is read once.
            cells = dict.fromkeys(" ".join(cell.text.split()) for cell in row.cells)
            if row_text := "\t".join(c for c in cells if c):
                blocks.append(Block("row", row_text))
    title = (document.core_properties.title or "").strip()
    if not title:
        title = next((b.text for b in blocks if b.kind == "heading"), title_from_name(path))
    return LoadedDocument(title=title, blocks=blocks)


def title_from_name(path: Path) -> str:
    """The title of a document that gives none: its file's name in words."""
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
