"""The result cache keeps small answers within its size, the most recently used."""

from __future__ import annotations

from communique.query.cache import ResultCache


def test_answers_come_back_by_etag() -> None:
    cache = ResultCache(max_bytes=100, max_entry_bytes=50)
    assert cache.put('"a"', b"x" * 10)
    assert cache.get('"a"') == b"x" * 10
    assert cache.get('"b"') is None


def test_an_answer_larger_than_an_entry_may_be_is_not_kept() -> None:
    cache = ResultCache(max_bytes=100, max_entry_bytes=50)
    assert not cache.put('"big"', b"x" * 51)
    assert cache.get('"big"') is None and cache.size == 0


def test_the_least_recently_used_answers_go_first_when_full() -> None:
    cache = ResultCache(max_bytes=30, max_entry_bytes=30)
    for name in "abc":
        cache.put(name, name.encode() * 10)
    cache.get("a")  # used again: now the most recent
    cache.put("d", b"d" * 10)
    assert cache.get("b") is None
    assert [cache.get(k) is not None for k in "acd"] == [True, True, True]
    assert cache.size == 30


def test_an_answer_put_again_is_counted_once() -> None:
    cache = ResultCache(max_bytes=100, max_entry_bytes=100)
    cache.put("a", b"x" * 40)
    cache.put("a", b"y" * 40)
    assert cache.size == 40 and cache.get("a") == b"y" * 40
