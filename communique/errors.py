"""Errors that communique reports to people, each saying where and what to do."""

from __future__ import annotations


class CommuniqueError(Exception):
    """Base class: a problem a user can act on (never a bug)."""

    exit_code = 2


class InputError(CommuniqueError):
    """An input file or record cannot be read as an article.

    The message names the file (and line or record) and what to do about it.
    """

    def __init__(self, source: str, problem: str, hint: str = "") -> None:
        self.source = source
        self.problem = problem
        self.hint = hint
        super().__init__(f"{source}: {self.advice}")

    @property
    def advice(self) -> str:
        """The problem and what to do, without the place (for lists keyed by place)."""
        return f"{self.problem} ({self.hint})" if self.hint else self.problem


class StoreError(CommuniqueError):
    """The store cannot be opened or written."""


class QueryError(CommuniqueError):
    """A SPARQL query is malformed or cannot be answered."""


class SettingsError(CommuniqueError):
    """A setting has a value communique cannot use."""
