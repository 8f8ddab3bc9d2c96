"""Readers keep the body verbatim and turn bad input into messages naming the place."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from communique.errors import InputError
from communique.loaders.read.article import Article
from communique.loaders.read.readers import READERS, count_inputs, read_paths, reader_for


def read(*paths: Path) -> list[Article | InputError]:
    return list(read_paths(list(paths)))


def test_plain_text_keeps_the_body_and_takes_the_first_line_as_headline(tmp_path: Path) -> None:
    path = tmp_path / "visit.txt"
    path.write_bytes(b"\n\n  Envoy visits Oslo\r\nThe envoy arrived on Monday.\r\n")
    (article,) = read(path)
    assert isinstance(article, Article)
    assert article.headline == "Envoy visits Oslo"
    assert article.body == "\n\n  Envoy visits Oslo\nThe envoy arrived on Monday.\n"
    assert article.source_id == "visit"


def test_plain_text_sidecar_supplies_date_publisher_and_url(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Talks resume\nBody.", encoding="utf-8")
    (tmp_path / "a.json").write_text(
        json.dumps({"published": "2025-02-03", "publisher": "Daily", "url": "https://x.org/a"})
    )
    (article,) = read(tmp_path / "a.txt")
    assert article.published == date(2025, 2, 3)
    assert (article.publisher, article.url) == ("Daily", "https://x.org/a")


def test_markdown_front_matter_is_metadata_and_the_rest_is_the_body(tmp_path: Path) -> None:
    path = tmp_path / "m.md"
    path.write_text(
        "---\ntitle: Summit ends\npublished: 2025-06-01T10:30:00+02:00\n"
        "id: summit-1\n---\nThe summit ended.\n",
        encoding="utf-8",
    )
    (article,) = read(path)
    assert article.headline == "Summit ends"
    assert article.body == "The summit ended.\n"
    assert article.source_id == "summit-1"
    assert isinstance(article.published, datetime)


def test_markdown_without_title_takes_its_first_heading(tmp_path: Path) -> None:
    path = tmp_path / "m.md"
    path.write_text("# Ministers meet\n\nText.", encoding="utf-8")
    (article,) = read(path)
    assert article.headline == "Ministers meet"


def test_json_lines_reads_each_record_and_reports_a_broken_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        json.dumps({"id": "1", "title": "First", "text": "One."})
        + "\n"
        + "{not json\n\n"
        + json.dumps({"id": "3", "headline": "Third", "body": "Three.", "published": "2024-01-02"})
        + "\n",
        encoding="utf-8",
    )
    first, broken, third = read(path)
    assert isinstance(first, Article) and first.headline == "First" and first.body == "One."
    assert isinstance(broken, InputError)
    assert broken.source == f"{path}:2" and "not valid JSON" in str(broken)
    assert isinstance(third, Article) and third.source_id == "3"


def test_folders_are_read_recursively_in_a_stable_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Two\nx", encoding="utf-8")
    (tmp_path / "one.md").write_text("# One\nx", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("ignored", encoding="utf-8")
    assert [a.headline for a in read(tmp_path)] == ["One", "Two"]


def test_a_symlink_loop_does_not_recurse_forever(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A\nx", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert [a.headline for a in read(tmp_path)] == ["A"]


def assert_refused(path: Path, *words: str) -> None:
    (error,) = read(path)
    assert isinstance(error, InputError)
    assert str(path) in str(error)
    for word in words:
        assert word in str(error)


def test_empty_binary_and_non_utf8_files_are_refused_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    assert_refused(tmp_path / "empty.txt", "empty")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    assert_refused(tmp_path / "bin.txt", "binary")
    (tmp_path / "latin.txt").write_bytes("Caf\u00e9 talks\n".encode("latin-1"))
    assert_refused(tmp_path / "latin.txt", "UTF-8", "iconv -f CP1252 -t UTF-8")
    # bytes that are not Windows-1252 either get the plain advice, with no guess
    (tmp_path / "other.txt").write_bytes(b"Talks\n\x81\x8d\x8f\x90\x9d\n")
    assert_refused(tmp_path / "other.txt", "UTF-8", "iconv")
    (error,) = read(tmp_path / "other.txt")
    assert "CP1252" not in str(error)


def test_an_invalid_date_names_the_field_and_the_format(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    path.write_text("---\ntitle: T\npublished: next Tuesday\n---\nBody", encoding="utf-8")
    assert_refused(path, "published", "YYYY-MM-DD")


def test_unclosed_front_matter_and_missing_paths_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "open.md"
    path.write_text("---\ntitle: T\nBody", encoding="utf-8")
    assert_refused(path, "never closed")
    assert_refused(tmp_path / "missing.txt", "no such file")


def test_the_identifier_is_the_sha256_of_the_body() -> None:
    article = Article(body="abc", headline="h", origin="x")
    assert article.identifier == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_a_50_mb_file_is_refused_before_it_is_read_and_named(tmp_path: Path) -> None:
    huge = tmp_path / "dump.txt"
    with huge.open("w", encoding="utf-8") as handle:
        for _ in range(1000):
            handle.write("The envoy met the minister in Oslo. " * 1400)  # 50 KB
    assert huge.stat().st_size > 50_000_000
    (error,) = read(huge)
    assert isinstance(error, InputError)
    assert error.source == str(huge)
    assert "MB, more than the input limit" in str(error) and "split it" in str(error)


def test_json_lines_bad_lines_are_named_and_the_others_read(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    good = json.dumps({"id": "ok", "title": "Talks", "body": "Talks in Oslo."})
    huge = json.dumps({"id": "big", "title": "Big", "body": "word " * 250_000})
    feed.write_bytes(
        good.encode()
        + b"\n"
        + '{"body": "caf\u00e9"}'.encode("latin-1")
        + b"\n"
        + huge.encode()
        + b"\n"
        + good.replace("ok", "ok2").encode()
        + b"\n"
    )
    results = read(feed)
    assert [r.source_id for r in results if isinstance(r, Article)] == ["ok", "ok2"]
    errors = [r for r in results if isinstance(r, InputError)]
    assert [e.source for e in errors] == [f"{feed}:2", f"{feed}:3"]
    assert "UTF-8" in str(errors[0])
    assert "more than the 1,000,000" in str(errors[1])


def test_a_dangling_symlink_in_a_folder_is_named_and_the_rest_read(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Talks\nThe talks went on.", encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    results = read(tmp_path)
    assert [r.source_id for r in results if isinstance(r, Article)] == ["ok"]
    (error,) = [r for r in results if isinstance(r, InputError)]
    assert error.source == str(tmp_path / "gone.txt") and "cannot read" in str(error)


def test_utf16_and_utf32_files_with_a_byte_order_mark_are_decoded(tmp_path: Path) -> None:
    text = "Ministers meet in Zürich\r\nThe ministers of Perú and Côte d’Ivoire met.\r\n"
    (tmp_path / "windows.txt").write_bytes(text.encode("utf-16"))  # with its BOM
    (tmp_path / "big.md").write_bytes(("---\ntitle: Talks\n---\n" + text).encode("utf-32"))
    records = [{"headline": f"Talks {n}", "body": f"Talks in Genève, round {n}."} for n in (1, 2)]
    lines = "\r\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\r\n"
    (tmp_path / "feed.jsonl").write_bytes(lines.encode("utf-16"))
    plain, big, first, second = (
        read(tmp_path / "windows.txt") + read(tmp_path / "big.md") + read(tmp_path / "feed.jsonl")
    )
    assert isinstance(plain, Article) and plain.body == text.replace("\r\n", "\n")
    assert isinstance(big, Article) and big.headline == "Talks" and "Côte d’Ivoire" in big.body
    assert isinstance(first, Article) and first.body == "Talks in Genève, round 1."
    assert isinstance(second, Article) and second.origin.endswith("feed.jsonl:2")


def test_a_byte_order_mark_followed_by_broken_text_is_refused(tmp_path: Path) -> None:
    (tmp_path / "broken.txt").write_bytes(b"\xff\xfeT\x00a\x00\x00\xd8")  # a lone surrogate
    assert_refused(tmp_path / "broken.txt", "UTF-16", "iconv")


def test_binary_data_behind_a_byte_order_mark_is_still_binary(tmp_path: Path) -> None:
    # binary files are full of zero bytes: here every other UTF-16 unit is U+0000
    (tmp_path / "image.txt").write_bytes(b"\xff\xfe" + b"\x00\x10\x00\x00" * 50)
    assert_refused(tmp_path / "image.txt", "binary")


def test_each_suffix_names_one_reader() -> None:
    suffixes = [s for reader in READERS for s in reader.suffixes]
    assert len(suffixes) == len(set(suffixes))
    assert reader_for(Path("a/b.MD")).name == "markdown"  # type: ignore[union-attr]
    assert reader_for(Path("notes.csv")) is None


def test_inputs_are_counted_by_their_readers(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("Chile and Peru\n\nThey met.", encoding="utf-8")
    (tmp_path / "two.md").write_text("---\ntitle: T\n---\nBody.", encoding="utf-8")
    feed = '{"body": "A."}\n\n{"body": "B."}\n'
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "feed.jsonl").write_text(feed, encoding="utf-8")
    (tmp_path / "table.csv").write_text("a,b\n", encoding="utf-8")  # no reader takes it
    assert count_inputs([tmp_path]) == 4
    assert count_inputs([tmp_path / "table.csv"]) is None
    read = [r for r in read_paths([tmp_path]) if isinstance(r, Article)]
    assert len(read) == 4


def test_a_named_file_of_no_known_kind_is_read_as_text(tmp_path: Path) -> None:
    page = tmp_path / "story.news"
    page.write_text("Chile and Peru met\n\nThey talked.", encoding="utf-8")
    (article,) = read_paths([page])
    assert isinstance(article, Article) and article.headline == "Chile and Peru met"


def test_an_author_is_text_or_a_list_of_names(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"body": "Chile and Peru met.", "author": ["Ana Ruiz", " Li Wei "]}\n'
        '{"body": "Chile and Peru met again.", "author": "Ana Ruiz"}\n'
        '{"body": "Chile and Peru met once more.", "author": 7}\n',
        encoding="utf-8",
    )
    first, second, third = read_paths([feed])
    assert isinstance(first, Article) and first.author == "Ana Ruiz, Li Wei"
    assert isinstance(second, Article) and second.author == "Ana Ruiz"
    assert isinstance(third, InputError) and "author" in str(third)
