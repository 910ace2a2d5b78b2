"""Summaries in community languages (issue #17): `summaries:` in an advies or standpunt,
checked against the registry's languages, shown with the right `lang` and `dir` in a
self-hosted font on the page and in the PDF; bad input stops check and build."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PAGES, PLAIN, advies, run_axe, set_palette, stops_check_and_build, write_doc
from pypdf import PdfReader

from kennisbank.registry import FONTS, LANGUAGES
from kennisbank.site import languages
from kennisbank.site.downloads import pdf_name

ADV = "advisories/adviezen/een.md"


@pytest.mark.parametrize(
    ("summaries", "field", "words"),
    [
        ('  xx: "Tekst."\n', "summaries.xx", "'xx' is geen ondersteunde taal"),
        ('  arabic: "نص"\n', "summaries.arabic", "geen ISO 639-1-code"),
        ('  nl: "Tekst."\n', "summaries.nl", "'nl' is de brontaal"),
        ('  ar: ""\n', "summaries.ar", "mag niet leeg zijn"),
        ('  tr: "Bir."\n  tr: "İki."\n', "summaries.tr", "staat twee keer in de metadata"),
    ],
    ids=["unknown", "not-iso-639-1", "dutch", "rtl-without-text", "twice"],
)
def test_bad_summaries_stop_check_and_build(
    scratch_repo: Path, summaries: str, field: str, words: str
) -> None:
    text = advies(extra=PLAIN + "summaries:\n" + summaries)
    write_doc(scratch_repo, ADV, text)
    line = text.splitlines().index(summaries.splitlines()[-1]) + 1
    where = f"{ADV}:{line}: " + (f"{field}: " if field else "")
    stops_check_and_build(scratch_repo, where, words)


def test_the_page_and_pdf_show_each_summary_in_its_language(built_site: Path, corpus) -> None:
    docs = [d for d in corpus.published() if d.meta.get("summaries")]
    assert docs, "the sample has an advies with summaries in other languages"
    assert any("ar" in d.meta["summaries"] for d in docs)  # right to left among them
    for doc in docs:
        page = (built_site / doc.url / "index.html").read_text(encoding="utf-8")
        assert '<link rel="stylesheet" href="../../assets/talen.css">' in page
        assert (
            '<h2 id="kb-summaries" class="kb-summaries__title">Samenvatting in andere talen' in page
        )
        for code, text in doc.meta["summaries"].items():
            lang = LANGUAGES[code]
            attrs = f'lang="{code}" dir="{lang.dir}"'
            name = f'<span class="kb-script-{lang.script}" {attrs}>{lang.native}</span>'
            assert f"{name} ({lang.name})" in page
            shown = " ".join(text.split())
            paragraph = f'<p class="kb-summaries__text kb-script-{lang.script}" {attrs}>'
            assert f"{paragraph}{shown}</p>" in page
        pdf = PdfReader(built_site / doc.url / pdf_name(doc))
        text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
        assert "Samenvatting in andere talen" in text
        fonts = {
            str(f.get_object()["/BaseFont"]).split("+", 1)[-1]
            for p in pdf.pages
            for f in (p["/Resources"].get("/Font") or {}).values()
        }
        for code in doc.meta["summaries"]:
            family = FONTS[LANGUAGES[code].script].family.replace(" ", "-")
            assert f"KB-{family}" in fonts, (code, fonts)  # its own font, embedded
        assert not any("DejaVu" in f for f in fonts), fonts  # no glyph fell back
    css = (built_site / languages.CSS).read_text(encoding="utf-8")
    for font in FONTS.values():
        for path in font.files():
            name = path.rsplit("/", 1)[1]
            assert f'url("fonts/{name}")' in css and (built_site / "assets/fonts" / name).is_file()
    plain = next(d for d in corpus.published() if not d.meta.get("summaries"))
    assert "talen.css" not in (built_site / plain.url / "index.html").read_text(encoding="utf-8")


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_summaries_in_chromium_rtl_fonts_and_axe(browser, site_url: str, scheme: str) -> None:
    """Opened, each summary has its language and direction, Arabic runs right to left in
    its own font (fetched from the site), and axe finds nothing, light and dark."""
    page = browser.new_page()
    fonts: list[str] = []
    page.on("request", lambda r: fonts.append(r.url) if r.url.endswith(".woff2") else None)
    page.goto(site_url + PAGES["document-summaries"], wait_until="networkidle")
    for item in page.locator(".kb-summaries__item").all():
        item.locator("summary").click()
    texts = page.locator(".kb-summaries__text")
    assert texts.count() >= 2
    for n in range(texts.count()):
        text = texts.nth(n)
        code = text.get_attribute("lang")
        assert code in LANGUAGES
        direction = text.evaluate("e => getComputedStyle(e).direction")
        assert direction == LANGUAGES[code].dir
        family = text.evaluate("e => getComputedStyle(e).fontFamily")
        assert family.startswith(f'"KB {FONTS[LANGUAGES[code].script].family}"'), family
    page.wait_for_load_state("networkidle")
    assert any(u.startswith(site_url) and "noto-sans-arabic-arabic" in u for u in fonts), fonts
    set_palette(page, scheme)
    assert run_axe(page) == []
    page.close()


def test_cards_name_the_other_languages_in_those_languages(built_site: Path, corpus) -> None:
    """A listing tells a reader which languages a document's summary is also in."""
    for doc in corpus.published():
        listing = (built_site / doc.section / "index.html").read_text(encoding="utf-8")
        card = listing[listing.index(f'href="../{doc.url}"') :]
        card = card[: card.index("</li>")]
        given = doc.meta.get("summaries") or {}
        if not given:
            assert "kb-card__languages" not in card, doc.id
            continue
        names = ", ".join(
            f'<span lang="{c}" dir="{LANGUAGES[c].dir}">{LANGUAGES[c].native}</span>'
            for c in LANGUAGES
            if c in given
        )
        assert f'<p class="kb-card__languages">Samenvatting ook in: {names}</p>' in card
