"""A preview's generated pages as files, for an engine that re-renders only the pages whose
source file changed (MkDocs' ``--dirty``, what ``make serve`` runs).

Each page is written to the cache folder only when its content changed (a hash beside it,
``<page>.sha256``, survives a restart), so the engine skips the rest; what a previous build
wrote and this one does not is deleted, so a deleted or renamed document is not left
reachable at its old URL. The state lives in the preview's ``PreviewCache``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kennisbank.cache import PreviewCache
from kennisbank.site.render import PageSource


def write_page(cache: PreviewCache, folder: Path, path: str, page: PageSource) -> Path:
    """The page's source file in ``folder``, rewritten only when the page changed."""
    target = folder / path
    known_inputs = cache.stamp_inputs.get(path)
    if known_inputs is not None and known_inputs[0] is page:
        stamp = known_inputs[1]  # a document page from generate's cache: the same object
    else:
        stamp = hashlib.sha256("\0".join([page.markdown, *page.html]).encode()).hexdigest()
        cache.stamp_inputs[path] = (page, stamp)
    stamp_file = target.with_name(target.name + ".sha256")
    known = cache.stamps.get(path)  # this session wrote it: no need to read the stamp
    if known != stamp and (
        not target.exists() or not stamp_file.exists() or stamp_file.read_text() != stamp
    ):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
        stamp_file.write_text(stamp)
    cache.stamps[path] = stamp
    return target


def remove_stale(
    cache: PreviewCache, folder: Path, site_dir: Path, current: dict[str, str]
) -> None:
    """``current``: what this build writes, output path -> source path. Delete what the
    previous build wrote and this one will not (pages, downloads, feeds), and its file in
    ``folder``."""
    for dest in sorted(set(cache.outputs) - set(current)):
        source = cache.outputs[dest]
        cache.stamps.pop(source, None)
        cache.stamp_inputs.pop(source, None)
        for target, top in ((site_dir / dest, site_dir), (folder / source, folder)):
            for stale in (target, target.with_name(target.name + ".sha256")):
                if stale.is_file():
                    stale.unlink()
            parent = target.parent
            while parent != top and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    cache.outputs = dict(current)
