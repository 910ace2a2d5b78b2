"""Fuzzing the reader and the validator with hypothesis (issue #7).

Properties: no exception escapes, and every problem is located: a path, a line between 1 and
the number of lines in the file + 1, and a non-empty message. `make test` runs a short
profile; `make fuzz` runs the "fuzz" profile (see the end of conftest.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kennisbank.content import loader
from kennisbank.content.model import Problem
from kennisbank.content.reader import read_document
from kennisbank.content.schema_check import SchemaChecker, known_keys
from kennisbank.content.validate import check_corpus, check_document
from kennisbank.registry import KINDS

# A file per example in one folder per test; function-scoped tmp_path does not fit @given.
NO_FIXTURE_RESET = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])

LOCATIONS = [
    "advisories/adviezen/doc.md",
    "advisories/standpunten/doc.md",
    "toolkits/praktijken/doc.md",
    "toolkits/doc/index.md",
    "advisories/Verkeerde Map/Doc é.md",
]
KEYS = sorted({key for kind in KINDS for key in known_keys(kind)})
VOCAB, _ = loader.load_vocabularies(ROOT)
VALUES = sorted({slug for values in VOCAB.values() for slug in values})


@pytest.fixture(scope="module")
def checker() -> SchemaChecker:
    return SchemaChecker(VOCAB)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("fuzz")
    for rel in LOCATIONS:
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
    (base / "toolkits/doc/bijlage.docx").write_bytes(b"PK\x03\x04")
    return base


def lines_in(raw: bytes) -> int:
    # Counting \r too covers old Mac line ends, which the reader turns into \n.
    return raw.count(b"\n") + raw.count(b"\r") + 1


def assert_located(problems: list[Problem], rel: str, raw: bytes) -> None:
    for problem in problems:
        assert problem.path == rel, problem
        assert 1 <= problem.line <= lines_in(raw) + 1, (problem, raw[:200])
        assert problem.message.strip(), problem
        assert isinstance(problem.field, str)
        assert problem.format().startswith(f"{rel}:{problem.line}: ")


def validate(root: Path, rel: str, raw: bytes, checker: SchemaChecker) -> list[Problem]:
    """Everything `kennisbank check` does for one file, without the rest of the corpus."""
    path = root / rel
    path.write_bytes(raw)
    source, problems = read_document(path, root)
    if source is not None:
        problems += check_document(source, root, checker)[1]
        problems += check_corpus([(loader.document_id(path, root), source)])
    assert_located(problems, rel, raw)
    return problems


# (a) Whole files: random text, random bytes, and YAML-ish text between the fences.
YAMLISH = st.text(
    alphabet=st.sampled_from(list("ab09 \n\t:-[]{}&*!|>'\"#,?%@`.\\\r\ufeff\u2028\x00é")),
    max_size=200,
)


@NO_FIXTURE_RESET
@given(text=st.text(max_size=500))
def test_any_text_file(root: Path, checker: SchemaChecker, text: str) -> None:
    validate(root, LOCATIONS[0], text.encode("utf-8", "surrogatepass"), checker)


@NO_FIXTURE_RESET
@given(raw=st.binary(max_size=500))
def test_any_bytes_file(root: Path, checker: SchemaChecker, raw: bytes) -> None:
    validate(root, LOCATIONS[0], raw, checker)


@NO_FIXTURE_RESET
@given(front=YAMLISH, body=YAMLISH, where=st.sampled_from(LOCATIONS))
def test_yamlish_front_matter(
    root: Path, checker: SchemaChecker, front: str, body: str, where: str
) -> None:
    raw = f"---\n{front}\n---\n{body}".encode("utf-8", "surrogatepass")
    validate(root, where, raw, checker)


# (b) Front matter as data: known and unknown keys with random values, dumped as YAML.
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from([*VALUES, *KINDS, "2025-01-10", "2025-02-30", "1.0.0", "ADV-2025-01"])
    | st.dates(min_value=dt.date(1900, 1, 1)).map(dt.date.isoformat)
    | st.sampled_from(["<script>x</script>", "javascript:x", "<a onclick=x>", "bijlage.docx"])
)
KEY = st.sampled_from(KEYS) | st.text(max_size=12)
VALUE = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEY, inner, max_size=4),
    max_leaves=12,
)


@st.composite
def front_matters(draw: st.DrawFn) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if draw(st.booleans()):  # mostly a plausible document, so the deeper rules run too
        meta.update(
            type=draw(st.sampled_from(list(KINDS))),
            title="Titel",
            date="2025-01-10",
            summary="Samenvatting.",
            domains=["onderwijs"],
        )
    meta.update(draw(st.dictionaries(KEY, VALUE, max_size=8)))
    return meta


@NO_FIXTURE_RESET
@given(meta=front_matters(), where=st.sampled_from(LOCATIONS), body=st.text(max_size=80))
def test_random_front_matter(
    root: Path, checker: SchemaChecker, meta: dict[str, Any], where: str, body: str
) -> None:
    dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    raw = f"---\n{dumped}---\n{body}".encode("utf-8", "surrogatepass")
    validate(root, where, raw, checker)


# Pieces of what unsafe_lines looks for, split over lines, entities and attribute lists.
HTMLISH = st.lists(
    st.sampled_from(
        [
            "<a",
            "<a ",
            " onclick=",
            "on",
            "click",
            "=",
            ">",
            "{:",
            "}",
            "\n",
            "\t",
            " ",
            "java",
            "script",
            ":",
            "&#115;",
            "&#x3a;",
            "<scr",
            "ipt",
            "<!--",
            " kb:",
            "data",
            "text/html",
            "<base",
            "<if",
            "rame",
            "tekst",
            "/",
            "é",
        ]
    ),
    max_size=40,
).map("".join)


@given(body=HTMLISH)
def test_a_clean_body_has_no_unsafe_line(body: str) -> None:
    """unsafe_lines checks the whole body first and skips the per-line pass when that is
    clean. That shortcut is only right if nothing a line or a multi-line tag could show is
    missed by the whole: compare with every line on its own."""
    from kennisbank.content.safety import PLACEHOLDER_LIKE, TAG, unsafe_lines, unsafe_reason

    if unsafe_lines(body):
        return
    for line in body.split("\n"):
        assert unsafe_reason(line) is None and not PLACEHOLDER_LIKE.search(line), line
    for tag in TAG.finditer(body):
        assert unsafe_reason(tag.group()) is None, tag.group()


@given(text=HTMLISH | st.text(max_size=60))
def test_the_unsafe_shortcut_misses_nothing(text: str) -> None:
    """unsafe_reason skips text without '<', ':', '&' or '{'; the full check must agree."""
    from kennisbank.content.safety import full_unsafe_reason, unsafe_reason

    assert unsafe_reason(text) == full_unsafe_reason(text)
