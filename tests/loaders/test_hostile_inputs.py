"""Inputs a user will meet in folders nobody cleaned: each is reported with its
place, and the good article beside it is still read. Every case here once ended
a whole load (or hung it, or ate the machine's memory)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from communique.errors import InputError
from communique.loaders.read import readers
from communique.loaders.read.article import Article
from communique.loaders.read.readers import ReadLimits, count_inputs, read_paths
from tests.helpers import examples

GOOD = "Envoys meet in Oslo\n\nNorway's foreign minister met the Chilean envoy in Oslo."


def read_beside_a_good_article(folder: Path) -> tuple[list[Article], list[InputError]]:
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    results = list(read_paths([folder]))
    articles = [r for r in results if isinstance(r, Article)]
    errors = [r for r in results if isinstance(r, InputError)]
    assert [a.source_id for a in articles if a.source_id == "good"] == ["good"]
    return articles, errors


def only_error(folder: Path, *words: str) -> InputError:
    _articles, errors = read_beside_a_good_article(folder)
    assert len(errors) == 1, errors
    for word in words:
        assert word in str(errors[0]), str(errors[0])
    return errors[0]


@pytest.mark.parametrize(
    "published",
    ["2009-13-45", "2009-04-31", "0000-01-01", "2009-01-01 24:00:00", "2009-01-01T10:00:00+24:00"],
)
def test_front_matter_dates_that_are_no_dates_are_reported(tmp_path: Path, published: str) -> None:
    (tmp_path / "bad.md").write_text(f"---\ntitle: T\npublished: {published}\n---\nBody.\n")
    only_error(tmp_path, "bad.md", "'published' is not a date", "YYYY-MM-DD")


def test_a_real_date_in_front_matter_is_read_as_written(tmp_path: Path) -> None:
    (tmp_path / "ok.md").write_text("---\ntitle: T\npublished: 2009-01-02\n---\nBody.\n")
    articles, errors = read_beside_a_good_article(tmp_path)
    assert not errors and str(next(a for a in articles if a.source_id == "ok").published) == (
        "2009-01-02"
    )


@pytest.mark.parametrize("where", ["jsonl", "sidecar"])
@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1" * 5000, "a number of 5,000 digits"),
        ("[" * 3000 + "]" * 3000, "nests 3001 levels deep"),
    ],
)
def test_json_numbers_and_nesting_beyond_any_article_are_reported(
    tmp_path: Path, where: str, value: str, words: str
) -> None:
    if where == "jsonl":
        (tmp_path / "feed.jsonl").write_text(f'{{"body": "B.", "extra": {value}}}\n')
    else:
        (tmp_path / "story.txt").write_text("Talks\nThe talks went on.")
        (tmp_path / "story.json").write_text(f'{{"extra": {value}}}')
    only_error(tmp_path, words)


def test_a_lone_surrogate_never_reaches_the_store(tmp_path: Path) -> None:
    (tmp_path / "feed.jsonl").write_text('{"headline": "T", "body": "Talks \\ud800 ended."}\n')
    only_error(tmp_path, "feed.jsonl:1", "lone surrogate", "U+D800")


def test_control_characters_become_spaces_and_are_reported(tmp_path: Path) -> None:
    body = "Talks\u0007 in Oslo\u0000 ended."
    (tmp_path / "feed.jsonl").write_text(json.dumps({"headline": "T", "body": body}) + "\n")
    articles, errors = read_beside_a_good_article(tmp_path)
    (article,) = [a for a in articles if a.headline == "T"]
    assert not errors and article.body == "Talks  in Oslo  ended."
    assert len(article.body) == len(body)  # offsets do not move
    assert article.notes and "U+0007" in article.notes[0]


def test_a_sidecar_that_is_a_folder_or_a_dangling_link_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Talks\nThe talks went on.")
    (tmp_path / "a.json").mkdir()
    (tmp_path / "b.txt").write_text("Talks\nThe talks went on.")
    (tmp_path / "b.json").symlink_to(tmp_path / "nowhere.json")
    _articles, errors = read_beside_a_good_article(tmp_path)
    assert sorted(Path(e.source).name for e in errors) == ["a.json", "b.json"]
    assert "is a folder" in str(errors[0]) and "cannot read" in str(errors[1])


def test_a_sidecar_with_a_byte_order_mark_or_in_utf16_is_read(tmp_path: Path) -> None:
    meta = json.dumps({"publisher": "Daily"})
    (tmp_path / "a.txt").write_text("Talks\nThe talks went on.")
    (tmp_path / "a.json").write_bytes(b"\xef\xbb\xbf" + meta.encode())
    (tmp_path / "b.txt").write_text("Talks\nThe talks went on.")
    (tmp_path / "b.json").write_bytes(meta.encode("utf-16"))
    articles, errors = read_beside_a_good_article(tmp_path)
    assert not errors and {a.source_id for a in articles if a.publisher == "Daily"} == {"a", "b"}


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    bomb = "---\na0: &a0 [x, x, x, x, x, x, x, x, x]\n"
    for n in range(1, 12):  # each level nine times the one before: 9^12 values
        bomb += f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]\n"
    (tmp_path / "bomb.md").write_text(bomb + "title: T\n---\nBody.\n")
    only_error(tmp_path, "bomb.md", "aliases")


def test_one_enormous_line_is_skipped_without_being_held(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    with feed.open("w") as handle:
        handle.write('{"headline": "Huge", "body": "' + "x" * 3_000_000 + '"}\n')
        handle.write(json.dumps({"headline": "Small", "body": "Talks ended."}) + "\n")
    results = list(read_paths([feed], ReadLimits(max_input_bytes=1_000_000)))
    assert isinstance(results[0], InputError) and "longer than the input limit" in str(results[0])
    assert results[0].source == f"{feed}:1"
    assert isinstance(results[1], Article) and results[1].headline == "Small"


def test_special_files_are_named_and_never_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would wait forever
    (tmp_path / "zero.txt").symlink_to("/dev/zero")  # reading it would never end
    (tmp_path / "random.jsonl").symlink_to("/dev/urandom")  # counting its lines too
    assert count_inputs([tmp_path]) is None  # nothing countable, and no hang
    _articles, errors = read_beside_a_good_article(tmp_path)
    found = {Path(e.source).name: str(e) for e in errors}
    assert "named pipe" in found["pipe.txt"]
    assert "device" in found["zero.txt"] and "device" in found["random.jsonl"]


def test_a_file_name_that_is_not_utf8_is_read_and_shown_escaped(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")  # Latin-1 bytes: not UTF-8
    (tmp_path / name).write_text("Talks\nThe talks went on.")
    articles, errors = read_beside_a_good_article(tmp_path)
    (odd,) = [a for a in articles if a.source_id != "good"]
    assert not errors and "\\xe9" in odd.origin
    odd.origin.encode("utf-8")  # printable and storable
    assert odd.source_file is None  # --prune cannot check it, so it is never pruned


def test_an_unreadable_subfolder_is_reported_not_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    walk = os.walk

    def walk_with_a_locked_folder(top, onerror=None):  # type: ignore[no-untyped-def]
        error = PermissionError(13, "Permission denied", str(Path(top) / "locked"))
        onerror(error)
        yield from walk(top, onerror=onerror)

    monkeypatch.setattr(readers.os, "walk", walk_with_a_locked_folder)
    error = only_error(tmp_path, "cannot read the folder", "Permission denied")
    assert error.source == str(tmp_path / "locked")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_subfolder_is_reported_for_real(tmp_path: Path) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.txt").write_text("T\nx")
    (tmp_path / "locked").chmod(0)
    try:
        only_error(tmp_path, "cannot read the folder")
    finally:
        (tmp_path / "locked").chmod(0o700)


def test_a_nul_byte_in_one_json_line_fails_that_line_alone(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [json.dumps({"headline": f"T{n}", "body": f"Body {n}."}) for n in range(3)]
    feed.write_bytes(lines[0].encode() + b"\n" + b'{"x": "\x00"}\n' + lines[2].encode() + b"\n")
    results = list(read_paths([feed]))
    assert [r.headline for r in results if isinstance(r, Article)] == ["T0", "T2"]
    (error,) = [r for r in results if isinstance(r, InputError)]
    assert error.source == f"{feed}:2" and "NUL" in str(error)


@pytest.mark.parametrize("value", [["a"], {"a": 1}, True, 1.5])
@pytest.mark.parametrize("field", ["id", "headline", "publisher"])
def test_fields_of_the_wrong_type_are_reported_not_stored_as_python(
    tmp_path: Path, field: str, value: object
) -> None:
    record = {"headline": "T", "body": "Talks ended.", field: value}
    (tmp_path / "feed.jsonl").write_text(json.dumps(record) + "\n")
    only_error(tmp_path, f"field '{field}' must be text")


def test_a_whole_number_id_is_an_identifier(tmp_path: Path) -> None:
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": 1234, "body": "Talks ended."}) + "\n")
    articles, errors = read_beside_a_good_article(tmp_path)
    assert not errors and "1234" in {a.source_id for a in articles}


def test_an_unexpected_failure_of_a_reader_is_reported_and_the_rest_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: Path, limits: ReadLimits) -> list[Article]:
        raise ZeroDivisionError("a bug")

    markdown = readers.READERS[1]
    monkeypatch.setattr(
        readers,
        "READERS",
        (
            readers.READERS[0],
            markdown.__class__(markdown.name, markdown.suffixes, broken, markdown.count),
            readers.READERS[2],
        ),
    )
    (tmp_path / "story.md").write_text("# Talks\nBody.")
    error = only_error(tmp_path, "story.md", "ZeroDivisionError: a bug", "a bug in communique")
    assert error.source == str(tmp_path / "story.md")


# ----------------------------------------------------------------- generated inputs
NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
    min_size=1,
    max_size=20,
).filter(lambda n: n not in (".", "..") and len(n.encode()) < 200)
SUFFIXES = st.sampled_from([".txt", ".md", ".jsonl", ".json", ".ndjson", ".markdown"])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def contents() -> st.SearchStrategy[bytes]:
    text = st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))
    records = st.lists(JSON, max_size=4).map(
        lambda rs: "\n".join(json.dumps(r) for r in rs).encode()
    )
    front = st.builds(
        lambda meta, body: f"---\n{meta}\n---\n{body}".encode("utf-8", "surrogatepass"),
        st.one_of(st.text(max_size=80), YAML),
        st.text(max_size=80),
    )
    return st.one_of(st.binary(max_size=400), text, records, front)


# front matter as YAML writes structures: maps, lists, dates and times that may be
# no real ones, and the scalars a headline or an id may wrongly be
YAML_SCALARS = st.one_of(
    JSON,
    st.builds(
        "{:04d}-{:02d}-{:02d}".format, st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99)
    ),
    st.builds(
        "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:00+{:02d}:00".format,
        st.integers(0, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
        st.integers(0, 25),
        st.integers(0, 61),
        st.integers(0, 25),
    ),
)
YAML = st.dictionaries(
    st.sampled_from(["headline", "id", "published", "url", "language", "title"])
    | st.text(max_size=6),
    YAML_SCALARS,
    max_size=5,
).map(lambda d: yaml.safe_dump(d, allow_unicode=True).replace("'", ""))


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    files=st.lists(st.tuples(NAMES, SUFFIXES, contents()), min_size=1, max_size=4),
    sidecar=st.one_of(st.none(), JSON.map(json.dumps).map(str.encode), st.binary(max_size=80)),
)
@example(files=[("dates", ".md", b"---\npublished: 2009-13-45\n---\nTalks.")], sidecar=None)
@example(files=[("deep", ".jsonl", b"[" * 5000 + b"]" * 5000)], sidecar=None)
@example(files=[("digits", ".jsonl", b'{"body": ' + b"9" * 5000 + b"}")], sidecar=None)
@example(files=[("lone", ".jsonl", b'{"body": "\\ud800"}')], sidecar=None)
@example(files=[("nul", ".jsonl", b'\x00{"body": "a"}\n{"body": "b"}')], sidecar=None)
@example(files=[("markup [b] [x]", ".txt", b"Body [bold]")], sidecar=b'{"id": [1]}')
@example(files=[("typed", ".txt", b"Body")], sidecar=b'{"id": {"a": 1}, "headline": true}')
@example(files=[("bom", ".txt", b"Body")], sidecar="{}".encode("utf-16"))
def test_no_file_stops_the_read_and_each_is_read_or_reported(
    tmp_path_factory: pytest.TempPathFactory,
    files: list[tuple[str, str, bytes]],
    sidecar: bytes | None,
) -> None:
    folder = tmp_path_factory.mktemp("generated")
    files = list({name + suffix: (name, suffix, data) for name, suffix, data in files}.values())
    for name, suffix, data in files:
        (folder / (name + suffix)).write_bytes(data)
        if sidecar is not None and suffix in (".txt", ".md", ".markdown"):
            (folder / (name + ".json")).write_bytes(sidecar)
    (folder / "zz-good.txt").write_text(GOOD, encoding="utf-8")
    results = list(read_paths([folder]))  # no exception escapes
    assert any(isinstance(r, Article) and r.source_id == "zz-good" for r in results)
    named = " ".join(r.source if isinstance(r, InputError) else r.origin for r in results)
    for name, suffix, data in files:
        # every file a reader takes is read or reported (a lone .json is no input: a
        # sidecar waits for its text; a JSON Lines file of blank lines holds none)
        if suffix != ".json" and (suffix not in (".jsonl", ".ndjson") or data.strip()):
            # a text's failure may be its sidecar's, reported under the sidecar's name
            assert any(name + ext in named for ext in (suffix, ".json")), (name, suffix)
    for result in results:
        assert isinstance(result, Article | InputError)
        str(result if isinstance(result, InputError) else result.origin).encode("utf-8")
        if isinstance(result, Article):  # no lone surrogate reaches an article
            (result.body + result.headline + (result.source_id or "")).encode("utf-8")
