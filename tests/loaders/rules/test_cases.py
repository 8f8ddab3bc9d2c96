"""The extraction rules on sentences written for them: one test per case of
``cases/*.yaml`` (see ``cases/README.md``), so a case is added without Python.

A case with ``known_failure`` is expected to fail, for the reason it gives; if
it starts to pass, the test says so (strict), and the reason can go.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from communique.loaders.extract import extract_articles
from communique.loaders.model import Extraction
from communique.loaders.read.article import Article
from tests.helpers import MODEL
from tests.loaders.rules.checks import (
    ACTOR_FIELDS,
    CHECKS,
    EVENT_FIELDS,
    Found,
    spans_point_into,
)

CASES = Path(__file__).parent / "cases"
CASE_KEYS = {"case", "text", "headline", "published", "expect", "known_failure"}


def load_cases() -> list[dict[str, Any]]:
    cases = []
    for path in sorted(CASES.glob("*.yaml")):
        try:
            read = yaml.safe_load(path.read_text("utf-8"))
        except yaml.YAMLError as exc:
            raise ValueError(f"{path.name} is not valid YAML: {exc}") from exc
        for number, case in enumerate(read, 1):
            problems = schema_problems(case)
            if problems:
                raise ValueError(f"{path.name}, case {number}: {'; '.join(problems)}")
            cases.append({**case, "file": path.stem})
    return cases


def schema_problems(case: Any) -> list[str]:
    """What makes a case unreadable: missing or unknown keys, unknown checks or fields."""
    if not isinstance(case, dict):
        return [f"a case is a mapping, not {case!r}"]
    problems = [f"unknown key {k!r}" for k in case if k not in CASE_KEYS]
    problems += [f"no {k}" for k in ("case", "text", "expect") if not case.get(k)]
    for check in case.get("expect") or []:
        if not isinstance(check, dict) or len(check) != 1:
            problems.append(f"an expectation is a one-key mapping, not {check!r}")
            continue
        ((name, wanted),) = check.items()
        if name not in CHECKS:
            problems.append(f"unknown check {name!r}")
        elif name in ("event", "no_event") and not set(wanted) <= {"class", *EVENT_FIELDS}:
            problems.append(f"unknown event fields {sorted(set(wanted) - set(EVENT_FIELDS))}")
        elif name in ("actor", "no_actor") and not set(wanted) <= {
            "id",
            "label",
            "count",
            *ACTOR_FIELDS,
        }:
            problems.append(f"unknown actor fields in {wanted}")
    return problems


ALL_CASES = load_cases()


def case_param(case: dict[str, Any]) -> Any:
    marks = []
    if case.get("known_failure"):
        marks.append(pytest.mark.xfail(strict=True, reason=case["known_failure"]))
    return pytest.param(case, id=f"{case['file']}: {case['case']}", marks=marks)


@pytest.fixture(scope="module")
def extracted() -> dict[str, Extraction]:
    """Every case's extraction, parsed in one batch (the model loads once)."""
    articles = [
        Article(
            body=case["text"],
            headline=case.get("headline") or "Test article",
            origin=case["case"],
            published=case.get("published"),
        )
        for case in ALL_CASES
    ]
    found = extract_articles(articles, MODEL)
    return {f"{c['file']}: {c['case']}": x for c, x in zip(ALL_CASES, found, strict=True)}


@pytest.mark.parametrize("case", [case_param(c) for c in ALL_CASES])
def test_case(case: dict[str, Any], extracted: dict[str, Extraction]) -> None:
    extraction = extracted[f"{case['file']}: {case['case']}"]
    found = Found(extraction)
    problems = spans_point_into(case["text"], extraction)
    for check in case["expect"]:
        ((name, wanted),) = check.items()
        problems += CHECKS[name](found, wanted)
    assert problems == []


def test_case_names_are_unique() -> None:
    names = [f"{c['file']}: {c['case']}" for c in ALL_CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("case", "problem"),
    [
        ({"case": "x", "text": "y"}, "no expect"),
        ({"case": "x", "text": "y", "expect": [{"evnt": {}}]}, "unknown check 'evnt'"),
        ({"case": "x", "text": "y", "expect": [{"event": {"clas": "Visit"}}]}, "unknown event"),
        ({"case": "x", "text": "y", "expect": [], "tags": 1}, "unknown key 'tags'"),
    ],
)
def test_a_malformed_case_is_named(case: dict[str, Any], problem: str) -> None:
    assert any(problem in p for p in schema_problems(case))


def test_a_check_fails_when_the_facts_differ() -> None:
    """The checks can fail: a case's expectations against an empty extraction."""
    empty = Found(Extraction())
    for case in ALL_CASES:
        for check in case["expect"]:
            ((name, wanted),) = check.items()
            if name in ("event", "actor", "holding", "statement", "mention"):
                assert CHECKS[name](empty, wanted), (case["case"], check)


def test_published_dates_are_read_as_dates() -> None:
    dated = [c for c in ALL_CASES if c.get("published")]
    assert dated and all(isinstance(c["published"], date) for c in dated)
