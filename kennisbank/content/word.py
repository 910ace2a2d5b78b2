"""``kennisbank import``: a Word document (.docx) as a new concept document.

mammoth turns the DOCX into HTML (it reads the meaning of Word's styles, not their looks),
this module adjusts that HTML (headings one level down, since the title is the page's only
``h1``; footnotes as Markdown footnotes; a numbered list under a heading "Aanbevelingen" as
``recommendations``), and markdownify writes the Markdown. The front matter starts from the
kind's template (``kennisbank new``), so the new file has every required field and passes
``kennisbank check``; title, author, date and a draft summary come from the DOCX.

Images: a toolkit keeps them in its folder, listed under ``files``, with Word's alt text or
``IMAGE_PLACEHOLDER`` (which ``check`` refuses, so nobody forgets to describe it). The other
kinds show no images on the site: their images are saved beside the DOCX and the text keeps
an invisible note where each one was.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import mammoth
from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag
from markdownify import MarkdownConverter

from kennisbank import registry
from kennisbank.content import scaffold
from kennisbank.content.followup import followed_kinds
from kennisbank.content.validate import IMAGE_PLACEHOLDER, slugify

MAX_BYTES = 20_000_000  # a Word file larger than this is refused (mostly images)
RECOMMENDATIONS_HEADING = "aanbevelingen"
SUMMARY_LIMIT = 400  # the schema's maxLength of summary
WEB_IMAGES = {"image/png": "png", "image/jpeg": "jpg"}  # what the site accepts (registry)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc, and every password-protected DOCX

# Word's title and subtitle styles; headings keep mammoth's defaults (Heading 1 → h1 …).
# The character styles LibreOffice puts on footnote marks and links carry no meaning of
# their own: their text is kept, without a message.
STYLE_MAP = """
p[style-name='Title'] => h1.kb-title:fresh
p[style-name='Subtitle'] => p.kb-subtitle:fresh
r[style-name='Footnote Characters'] =>
r[style-name='Endnote Characters'] =>
r[style-name='Footnote Anchor'] =>
r[style-name='Endnote Anchor'] =>
r[style-name='Internet Link'] =>
r[style-name='Hyperlink'] =>
"""

# mammoth's messages (English) in Dutch, by their beginning.
MESSAGES = [
    (
        re.compile(r"Unrecognised paragraph style: (.+?) \(Style ID: [^)]*\)"),
        "alinea's met de opmaakstijl '{0}' zijn gewone tekst geworden",
    ),
    (
        re.compile(r"Unrecognised run style: (.+?) \(Style ID: [^)]*\)"),
        "tekst met de tekenstijl '{0}' is gewone tekst geworden",
    ),
    (
        re.compile(r"Image of type (\S+) is unlikely to display"),
        "een afbeelding van het type {0} toont geen enkele browser: bewaar ze in Word als PNG "
        "of JPEG",
    ),
    (
        re.compile(r"An unrecognised element was ignored: (\S+)"),
        "een onderdeel dat Kennisbank niet kent ({0}) is weggelaten",
    ),
    (re.compile(r"(.*)"), "Word meldde: {0}"),
]


class WordError(Exception):
    """A Word file that cannot be imported; the message is Dutch and names the file."""


@dataclass(slots=True)
class Imported:
    target: Path
    kind: str
    notes: list[str] = field(default_factory=list)  # what was not (fully) converted
    images: list[Path] = field(default_factory=list)
    recommendations: int = 0


def read(path: Path) -> bytes:
    """The DOCX's bytes, or a ``WordError`` that says what is wrong with the file."""
    if not path.is_file():
        raise WordError(f"{path}: dit bestand bestaat niet.")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise WordError(
            f"{path}: het bestand is {size / 1e6:.0f} MB, meer dan {MAX_BYTES / 1e6:.0f} MB. "
            "Verklein de afbeeldingen in Word (Bestand > Afbeeldingen comprimeren) en probeer "
            "opnieuw."
        )
    data = path.read_bytes()
    if data.startswith(OLE_MAGIC):
        raise WordError(
            f"{path}: dit is een beveiligd Word-bestand (met wachtwoord) of een oud .doc-bestand. "
            "Haal het wachtwoord weg of bewaar het in Word als .docx (Word-document) en probeer "
            "opnieuw."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        raise WordError(
            f"{path}: dit is geen Word-bestand (.docx). Open het in Word of LibreOffice en "
            "bewaar het als Word-document (.docx)."
        ) from None
    return data


def properties(data: bytes) -> tuple[str, str, dt.date | None]:
    """Title, author and creation date from the DOCX's properties (empty when not set)."""
    import docx  # python-docx: only here, for the core properties

    core = docx.Document(io.BytesIO(data)).core_properties
    created = core.created.date() if core.created else None
    return (core.title or "").strip(), (core.author or "").strip(), created


def dutch(message: str) -> str:
    for pattern, text in MESSAGES:
        found = pattern.match(message)
        if found:
            return text.format(*found.groups())
    return message  # pragma: no cover (the last pattern matches everything)


def note_label(anchor: str) -> str:
    """mammoth's ``#footnote-3`` / ``endnote-3`` as a Markdown footnote label: 3 / e3."""
    number = anchor.rsplit("-", 1)[1]
    return f"e{number}" if "endnote" in anchor else number


def text_of(tag: Tag) -> str:
    return " ".join(tag.get_text().split())


class Converter(MarkdownConverter):
    """markdownify, with mammoth's footnote references as Markdown footnotes."""

    def convert_sup(self, el: Tag, text: str, *args: object, **kwargs: object) -> str:
        link = el.find("a", href=re.compile(r"^#(foot|end)note-\d+$"))
        if isinstance(link, Tag):
            return f"[^{note_label(str(link['href']))}]"
        return text


def convert(data: bytes, image: mammoth.images.ImageConverter) -> tuple[BeautifulSoup, list[str]]:
    result = mammoth.convert_to_html(io.BytesIO(data), style_map=STYLE_MAP, convert_image=image)
    notes = [dutch(m.message) for m in result.messages if m.type in ("warning", "error")]
    return BeautifulSoup(result.value, "html.parser"), list(dict.fromkeys(notes))


def take_footnotes(soup: BeautifulSoup) -> list[str]:
    """Remove mammoth's footnote list; return the Markdown definitions."""
    definitions = []
    for item in soup.find_all("li", id=re.compile(r"^(foot|end)note-\d+$")):
        number = note_label(str(item["id"]))
        for back in item.find_all("a", href=re.compile(r"^#(foot|end)note-ref-\d+$")):
            back.decompose()
        text = " ".join(Converter(escape_misc=False).convert_soup(p) for p in item.find_all("p"))
        definitions.append(f"[^{number}]: {' '.join(text.split())}")
        parent = item.parent
        item.decompose()
        if isinstance(parent, Tag) and not parent.find("li"):
            parent.decompose()
    return definitions


def take_recommendations(soup: BeautifulSoup) -> list[str]:
    """The items of the numbered list under a heading "Aanbevelingen", removed from the
    text (the metadata is their one source)."""
    for heading in soup.find_all(re.compile(r"^h[1-6]$")):
        if text_of(heading).lower().rstrip(":") != RECOMMENDATIONS_HEADING:
            continue
        listing = heading.find_next_sibling()
        if not isinstance(listing, Tag) or listing.name != "ol":
            continue
        for mark in listing.find_all("sup"):  # footnote marks stay out of the metadata
            mark.decompose()
        items = [recommendation_text(li) for li in listing.find_all("li", recursive=False)]
        heading.decompose()
        listing.decompose()
        return [item for item in items if item]
    return []


def recommendation_text(item: Tag) -> str:
    """A recommendation's text; the points of a list under it follow its own words, each
    after a semicolon ("Doe dit: eerste punt; tweede punt."), instead of running into it."""
    points = []
    for inner in item.find_all(["ol", "ul"], recursive=False):
        points += [recommendation_text(li) for li in inner.find_all("li", recursive=False)]
        inner.extract()
    own = text_of(item)
    points = [point.rstrip(".;") for point in points if point]
    if not points:
        return own
    lead = own.rstrip(".;:")
    return f"{lead}: {'; '.join(points)}." if lead else "; ".join(points) + "."


def shift_headings(soup: BeautifulSoup) -> None:
    """Word's Heading 1 becomes ``##``: the page title is the only ``#``."""
    for heading in soup.find_all(re.compile(r"^h[1-6]$")):
        heading.name = f"h{min(int(heading.name[1]) + 1, 6)}"


def summary_of(soup: BeautifulSoup) -> str:
    """The first real paragraph's text, without footnote marks, cut at a word."""
    for paragraph in soup.find_all("p"):
        if "kb-subtitle" in (paragraph.get("class") or []):
            continue
        text = " ".join(
            "".join(
                str(part) if isinstance(part, NavigableString) else part.get_text()
                for part in paragraph.descendants
                if isinstance(part, NavigableString) and not part.find_parent("sup")
            ).split()
        )
        if len(text) > 20:
            if len(text) <= SUMMARY_LIMIT:
                return text
            return text[: SUMMARY_LIMIT - 1].rsplit(" ", 1)[0] + "…"
    return ""


def quoted(value: str) -> str:
    """A YAML scalar that is always read back as this string (JSON is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def set_line(text: str, key: str, value: str) -> str:
    """Replace the value of a top-level key of the template's front matter."""
    line = f"{key}: {value}"  # a function, so a backslash in the value stays as it is
    new, count = re.subn(rf"^{key}: .*$", lambda _: line, text, count=1, flags=re.M)
    return new if count else text


def set_recommendations(text: str, items: list[str]) -> str:
    block = "recommendations:\n" + "".join(
        f"  - id: R{number}\n    text: {quoted(item)}\n" for number, item in enumerate(items, 1)
    )
    if not re.search(r"^recommendations:", text, flags=re.M):  # the template has none
        return text.rstrip("\n") + "\n" + block
    return re.sub(
        r"^recommendations:\n(?:(?:  |#).*\n)*", lambda _: block, text, count=1, flags=re.M
    )


def new_id(root: Path, title: str, wanted: str | None) -> str:
    doc_id = wanted or "-".join(slugify(title).split("-")[:8])
    try:
        scaffold.check_id(root, doc_id)
    except scaffold.TemplateError as err:
        raise WordError(f"{err} Geef het met --id, bijvoorbeeld --id {doc_id}-2.") from None
    return doc_id


def import_docx(
    root: Path,
    path: Path,
    kind: str,
    doc_id: str | None = None,
    today: dt.date | None = None,
) -> Imported:
    """Write the DOCX at ``path`` as a new concept document of ``kind``; nothing is written
    when it cannot be imported."""
    today = today or dt.date.today()
    data = read(path)
    made = registry.KINDS[kind]
    in_folder = made.layout == "folder"
    images: list[tuple[str, bytes, str]] = []  # name, bytes, alt text

    def image(picture: mammoth.documents.Image) -> dict[str, str]:
        kind_of = picture.content_type or ""
        if kind_of not in WEB_IMAGES:
            notes.append(
                f"een afbeelding van het type {kind_of or 'onbekend'} is weggelaten: bewaar ze "
                "in Word als PNG of JPEG en importeer opnieuw"
            )
            return {}
        name = f"afbeelding-{len(images) + 1}.{WEB_IMAGES[kind_of]}"
        with picture.open() as stream:
            images.append((name, stream.read(), (picture.alt_text or "").strip()))
        return {"src": name, "alt": images[-1][2] or IMAGE_PLACEHOLDER}

    notes: list[str] = []
    try:
        soup, messages = convert(data, mammoth.images.img_element(image))
        doc_title, author, created = properties(data)
    except (ValueError, KeyError, zipfile.BadZipFile) as err:  # not a Word document inside
        raise WordError(
            f"{path}: Kennisbank kan dit Word-bestand niet lezen ({type(err).__name__}). "
            "Bewaar het in Word als gewoon Word-document (.docx) en probeer opnieuw."
        ) from None
    notes = list(dict.fromkeys([*messages, *notes]))
    for left_out in soup.find_all("img", src=False):  # an image of a type the site refuses
        left_out.decompose()
    if not text_of(soup) and not images:
        raise WordError(f"{path}: het Word-bestand is leeg: er staat geen tekst in.")
    # The title staff see in the document wins over the file's properties (a company
    # template's property title would give every import the same title).
    title_tag = soup.find("h1", class_="kb-title")
    if isinstance(title_tag, Tag) and text_of(title_tag):
        doc_title = text_of(title_tag)
        title_tag.decompose()
    if not doc_title:
        first = soup.find("h1")
        if isinstance(first, Tag) and text_of(first):
            doc_title = text_of(first)
            first.decompose()  # it is the page's title now, not a section
        else:
            doc_title = path.stem.replace("_", " ")
    doc_id = new_id(root, doc_title, doc_id)
    footnotes = take_footnotes(soup)
    found = take_recommendations(soup) if kind in followed_kinds() else []
    shift_headings(soup)
    summary = summary_of(soup)
    described: list[str] = []  # per note: the image's description, kept out of Markdown
    if not in_folder:
        for tag in soup.find_all("img"):
            alt = str(tag.get("alt", ""))
            # An HTML comment may not hold "--": the description would end it early.
            described.append(
                "zonder beschrijving" if alt == IMAGE_PLACEHOLDER else re.sub("-{2,}", "–", alt)
            )
            tag.replace_with(NavigableString(f"KB-IMAGE-NOTE {tag['src']} {len(described)} KB-END"))
    body = Converter(
        heading_style="ATX",
        bullets="-",
        strong_em_symbol="*",
        table_infer_header=True,
        keep_inline_images_in=["td", "th"],
    ).convert_soup(soup)
    body = re.sub(
        r"KB-IMAGE-NOTE (\S+) (\d+) KB-END",
        lambda m: (
            f"<!-- afbeelding uit Word: {m[1]} ({described[int(m[2]) - 1]}); een "
            f"{made.label.lower()} toont geen afbeeldingen -->"
        ),
        body,
    )
    body = re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
    if footnotes:
        body += "\n" + "\n".join(footnotes) + "\n"

    date = created if created and created <= today else today
    text = scaffold.template_text(kind, date, scaffold.next_reference(root, kind, date.year))
    front = text.split("\n---\n", 1)[0]  # the Word text replaces the template's body
    front = front.replace(
        "---\n",
        f"---\n# Gemaakt uit {path.name} met 'kennisbank import': kijk elke waarde na.\n",
        1,
    )
    front = set_line(front, "title", quoted(doc_title))
    front = set_line(front, "summary", quoted(summary or f"Samenvatting van {doc_title}."))
    if author:
        front = set_line(front, "authors", f"[{quoted(author)}]")
    if found:
        front = set_recommendations(front, found)
    else:  # the template's example recommendation must not be published as ours
        front = re.sub(r"^recommendations:\n(?:  .*\n)*", "", front, count=1, flags=re.M)
    if in_folder and images:
        listed = "".join(
            f"\n  - path: {name}\n    title: {quoted(alt or f'Afbeelding {n}')}"
            for n, (name, _, alt) in enumerate(images, 1)
        )
        front = re.sub(r"^files: \[\]$", lambda _: "files:" + listed, front, count=1, flags=re.M)
    document = front + "\n---\n\n" + body

    target = scaffold.target_path(root, kind, doc_id)
    if target.exists():  # never overwrite an editor's work
        raise WordError(f"{target.relative_to(root)} bestaat al. Kies een ander id met --id.")
    image_folder = target.parent if in_folder else path.parent / f"{path.stem}-afbeeldingen"
    written: list[Path] = []
    saved: list[Path] = []

    def save_images() -> None:
        image_folder.mkdir(parents=True, exist_ok=True)
        for name, content, _ in images:
            (image_folder / name).write_bytes(content)
            saved.append(image_folder / name)
            written.append(image_folder / name)

    try:
        if in_folder:
            target.parent.mkdir(parents=True)
            written.append(target.parent)
            if images:
                save_images()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
        written.append(target)  # it did not exist (checked above): safe to remove
        target.write_text(document, encoding="utf-8")
    except OSError as err:
        for item in reversed(written):
            shutil.rmtree(item) if item.is_dir() else item.unlink(missing_ok=True)
        raise WordError(
            f"{target.relative_to(root)}: kon niet schrijven: {why(err, root)} Er is niets bewaard."
        ) from None
    if images and not in_folder:
        # Only a copy for the editor (this kind shows no images): the text is imported
        # even when the folder beside the DOCX cannot be written.
        try:
            save_images()
        except OSError as err:
            for item in saved:
                item.unlink(missing_ok=True)
            saved.clear()
            notes.append(
                f"de afbeeldingen konden niet bewaard worden: {why(err, root)} Ze staan nog "
                "in het Word-bestand"
            )
    return Imported(target, kind, notes, saved, len(found))


def why(err: OSError, root: Path) -> str:
    """An operating-system error in Dutch, with the path it is about."""
    where = Path(err.filename) if err.filename else None
    if where is not None and where.is_relative_to(root):
        where = where.relative_to(root)
    reasons = {
        errno.EACCES: "je hebt geen schrijfrechten op {where}.",
        errno.EPERM: "je hebt geen schrijfrechten op {where}.",
        errno.EROFS: "{where} staat op een schijf die alleen gelezen kan worden.",
        errno.ENOSPC: "de schijf is vol.",
        errno.EEXIST: "{where} bestaat al.",
        errno.ENOTDIR: "een deel van {where} is een bestand, geen map.",
        errno.ENAMETOOLONG: "de naam van {where} is te lang.",
    }
    reason = reasons.get(err.errno or 0, "de fout van het systeem was '{strerror}' bij {where}.")
    return reason.format(where=where or "de map", strerror=err.strerror or type(err).__name__)
