"""Validated configuration entries that remember where they were written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from warning.playbook.schema import Settings
from warning.playbook.validate import dotted
from warning.playbook.yamlload import Document, Finding, Location

__all__ = ["Entries", "Located"]

M = TypeVar("M")


@dataclass(frozen=True, slots=True)
class Located(Generic[M]):
    """A validated model with its document and location, for precise findings."""

    name: str
    model: M
    doc: Document
    loc: Location

    def finding(self, sub: Location, message: str, *, at_key: bool = False) -> Finding:
        full = (*self.loc, *sub)
        return self.doc.finding(full, f"{dotted(full)}: {message}", at_key=at_key)

    def finding_in_text(self, sub: Location, message: str, column: int) -> Finding:
        """A finding at ``column`` (1-based) inside the single-line text value at ``sub``."""
        full = (*self.loc, *sub)
        file, line, col = self.doc.mark(full)
        style = self.doc.styles.get(full, "|")
        if style is None:
            col += column - 1
        elif style in ('"', "'"):
            col += column
        else:
            message += f" (at column {column} of the text)"
        return Finding(file, line, col, f"{dotted(full)}: {message}")


@dataclass(slots=True)
class Entries:
    """Every valid entry per section, the names declared (valid or not), and settings."""

    sections: dict[str, dict[str, Located[Any]]] = field(default_factory=dict)
    declared: dict[str, set[str]] = field(default_factory=dict)
    settings: Located[Settings] | None = None

    def get(self, section: str) -> dict[str, Located[Any]]:
        return self.sections.setdefault(section, {})

    def names(self, section: str) -> set[str]:
        return self.declared.setdefault(section, set())

    @property
    def settings_model(self) -> Settings:
        return self.settings.model if self.settings is not None else Settings()
