"""Loading a configuration directory: strict YAML, models, cross-checks, compilation.

Every problem of every file is collected and raised at once as
:class:`warning.errors.ConfigError`, one ``file:line:col: where: message`` per
finding, sorted by file and position. Nothing else escapes the loader.

>>> config = load_texts({"people.yaml": '''
... people:
...   anna: {name: Anna Becker, email: anna@lumina.example, timezone: Europe/Berlin}
... '''})
>>> config.people["anna"].name
'Anna Becker'
>>> load_texts({"people.yaml": "people:\\n  anna: {name: Anna, emial: a@b.de}\\n"})
Traceback (most recent call last):
...
warning.errors.ConfigError: people.yaml:2:22: people.anna: unknown key 'emial' (did you mean 'email'?)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import ValidationError

from warning.errors import ConfigError
from warning.playbook.compile import build_config, check_texts
from warning.playbook.compiled import Config
from warning.playbook.crosscheck import WHAT, check_references
from warning.playbook.entries import Entries, Located
from warning.playbook.schema import SECTIONS, Settings
from warning.playbook.schema_types import ID_PATTERN
from warning.playbook.timerules import did_you_mean
from warning.playbook.validate import describe, model_findings
from warning.playbook.yamlload import Document, Finding, load_yaml

__all__ = ["config_files", "load_config", "load_texts", "reload_config"]

_ID = re.compile(ID_PATTERN)


def config_files(directory: Path) -> list[Path]:
    """The YAML files of a configuration directory, in a stable order (hidden ones skipped)."""
    found = [*directory.rglob("*.yaml"), *directory.rglob("*.yml")]
    visible = [p for p in found if not any(part.startswith(".") for part in p.parts)]
    return sorted(visible)


def load_config(source: str | Path | Sequence[str | Path]) -> Config:
    """Load a directory (every ``*.yaml``/``*.yml`` in it) or a list of files."""
    paths: list[Path] = []
    for item in [source] if isinstance(source, (str, Path)) else list(source):
        path = Path(item)
        if path.is_dir():
            files = config_files(path)
            if not files:
                raise ConfigError(f"{path}: no .yaml files in this directory")
            paths.extend(files)
        elif path.is_file():
            paths.append(path)
        else:
            raise ConfigError(f"{path}: no such file or directory")
    texts: dict[str, str] = {}
    unreadable: list[Finding] = []
    for path in paths:
        try:
            texts[str(path)] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as err:
            unreadable.append(Finding(str(path), 1, 1, f"not UTF-8 text ({err.reason})"))
        except OSError as err:
            unreadable.append(Finding(str(path), 1, 1, f"cannot be read ({err.strerror})"))
    if unreadable:
        raise ConfigError([str(f) for f in unreadable])
    return load_texts(texts)


def _collect(docs: Sequence[Document], findings: list[Finding]) -> Entries:
    entries = Entries()
    first: dict[tuple[str, str], Document] = {}
    known_sections = [*SECTIONS, "settings"]
    for doc in docs:
        for section, body in doc.data.items():
            if section == "settings":
                if entries.settings is not None:
                    _, line, col = entries.settings.doc.key_mark(("settings",))
                    where = f"{entries.settings.doc.file}:{line}:{col}"
                    findings.append(
                        doc.finding(
                            ("settings",),
                            f"settings: defined again (first at {where})",
                            at_key=True,
                        )
                    )
                    continue
                try:
                    settings = Settings.model_validate({} if body is None else body)
                    entries.settings = Located("settings", settings, doc, ("settings",))
                except ValidationError as err:
                    findings.extend(model_findings(doc, ("settings",), err, Settings))
                continue
            if section not in SECTIONS:
                hint = did_you_mean(section, known_sections)
                message = f"unknown section '{section}'{hint}"
                findings.append(doc.finding((section,), message, at_key=True))
                continue
            if body is None:
                continue
            if not isinstance(body, dict):
                message = f"{section}: expected a mapping of names to entries, got {describe(body)}"
                findings.append(doc.finding((section,), message))
                continue
            _entries(doc, section, body, entries, first, findings)
    return entries


def _entries(
    doc: Document,
    section: str,
    body: Mapping[str, object],
    entries: Entries,
    first: dict[tuple[str, str], Document],
    findings: list[Finding],
) -> None:
    model = SECTIONS[section]
    for name, data in body.items():
        loc = (section, name)
        if not _ID.fullmatch(name):
            message = (
                f"{section}.{name}: '{name}' is not a valid name: "
                "use lowercase letters, digits, '-' and '_'"
            )
            findings.append(doc.finding(loc, message, at_key=True))
            continue
        previous = first.get(loc)
        if previous is not None:
            _, line, col = previous.key_mark(loc)
            message = (
                f"{section}.{name}: {WHAT[section]} '{name}' is already defined at "
                f"{previous.file}:{line}:{col}"
            )
            findings.append(doc.finding(loc, message, at_key=True))
            continue
        first[loc] = doc
        entries.names(section).add(name)
        try:
            validated = model.model_validate(data)
        except ValidationError as err:
            findings.extend(model_findings(doc, loc, err, model))
            continue
        entries.get(section)[name] = Located(name, validated, doc, loc)


def load_texts(texts: Mapping[str, str]) -> Config:
    """Load configuration files given as ``{file name: YAML text}``."""
    findings: list[Finding] = []
    docs: list[Document] = []
    for name, text in texts.items():
        doc, problems = load_yaml(text, name)
        findings.extend(problems)
        if doc is not None:
            docs.append(doc)
    entries = _collect(docs, findings)
    findings.extend(check_references(entries))
    paths, playbooks, problems = check_texts(entries)
    findings.extend(problems)
    if findings:
        raise ConfigError([str(f) for f in sorted(set(findings))])
    return build_config(entries, list(texts), paths, playbooks)


def reload_config(
    source: str | Path | Sequence[str | Path], last_good: Config | None
) -> tuple[Config | None, list[str]]:
    """Load ``source``; on any finding keep ``last_good`` and return the findings.

    A running service calls this on reload: a file that fails validation is
    never put live, the last good configuration stays.
    """
    try:
        return load_config(source), []
    except ConfigError as err:
        return last_good, list(err.findings)
