"""Which files a toolkit may offer (``attachments`` in ``schema/registry.yml``): by
extension, size and what the file is inside, so that a renamed or broken file never
reaches a municipality's download."""

from __future__ import annotations

from pathlib import Path

from kennisbank.registry import ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES

# The first bytes each kind of content starts with.
SIGNATURES = {
    "zip": (b"PK\x03\x04",),
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
}
CONTENT_NAMES = {
    "zip": "een ZIP-bestand (zoals elk Word-, Excel-, PowerPoint- of OpenDocument-bestand)",
    "pdf": "een PDF",
    "png": "een PNG-afbeelding",
    "jpeg": "een JPEG-afbeelding",
    "text": "tekst in UTF-8",
}


def allowed() -> str:
    return ", ".join(f".{ext}" for ext in ATTACHMENT_TYPES)


def refusal(path: Path, name: str) -> str | None:
    """Why a toolkit may not offer this file (Dutch, with how to fix it); None if it may."""
    extension = path.suffix.lower().lstrip(".")
    kind = ATTACHMENT_TYPES.get(extension)
    if kind is None:
        return (
            f"'{name}' heeft een bestandstype dat een toolkit niet mag aanbieden"
            f"{f' (.{extension})' if extension else ' (geen extensie)'}. Toegelaten: "
            f"{allowed()}. Bewaar het bestand in een van die formaten."
        )
    size = path.stat().st_size
    if size > MAX_ATTACHMENT_BYTES:
        megabytes = f"{size / (1024 * 1024):.1f}".replace(".", ",")
        return (
            f"'{name}' is {megabytes} MB; een bijlage mag hoogstens "
            f"{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB zijn. Maak het bestand kleiner "
            "(bijvoorbeeld afbeeldingen verkleinen) of verdeel het."
        )
    with path.open("rb") as handle:
        head = handle.read(8) if kind.content != "text" else handle.read()
    if kind.content == "text":
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            return (
                f"'{name}' is geen {CONTENT_NAMES['text']}. Bewaar het opnieuw als UTF-8 "
                "(in een rekenblad: 'CSV UTF-8')."
            )
        return None
    if not head.startswith(SIGNATURES[kind.content]):
        return (
            f"'{name}' is geen echt .{extension}-bestand: de inhoud is niet "
            f"{CONTENT_NAMES[kind.content]}. Het is misschien hernoemd of beschadigd; open het "
            f"en bewaar het opnieuw als .{extension}."
        )
    return None
