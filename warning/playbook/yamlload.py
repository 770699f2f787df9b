"""Strict YAML: compose nodes so that every value keeps its file, line and column.

PyYAML's constructors lose positions and follow YAML 1.1, where ``on``, ``NO``
and ``yes`` are booleans and ``18:00`` is the integer 1080. We compose the node
tree ourselves and build plain Python values with these rules:

* only ``true`` and ``false`` are booleans; every other YAML 1.1 boolean spelling
  (``on``, ``Off``, ``NO``, ``yes`` ...) is an error, as a key or as a value;
* numbers are numbers only when written canonically (``3``, ``-1``, ``0.4``);
  ``18:00``, ``010``, ``1_000`` and dates stay the text that was written;
* duplicate keys, merge keys (``<<``), custom tags and non-text keys are errors;
* a file holds one document whose top level is a mapping.

Every finding carries ``file:line:col`` (1-based).

>>> doc, findings = load_yaml("a:\\n  from: 18:00\\n  b: on\\n", "x.yaml")
>>> doc.data
{'a': {'from': '18:00', 'b': 'on'}}
>>> [str(f) for f in findings]
["x.yaml:3:6: 'on' is a YAML 1.1 boolean; write true or false, or quote it ('on') if you mean text"]
>>> doc.mark(("a", "from"))
('x.yaml', 2, 9)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

__all__ = ["Document", "Finding", "Location", "Mark", "load_yaml"]

#: ``(file, line, column)``, both 1-based.
Mark = tuple[str, int, int]
#: Keys and list indices from the document root to a value.
Location = tuple[str | int, ...]

_MAX_NODES = 200_000
_MAX_DEPTH = 64
_MAX_TEXT = 1_000_000
_TAG = "tag:yaml.org,2002:"
_CANONICAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_CANONICAL_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One problem in one place: ``file:line:col: message``."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


@dataclass(slots=True)
class Document:
    """Plain data of one YAML file plus the position of every key and value."""

    file: str
    data: Any
    marks: dict[Location, Mark] = field(default_factory=dict)
    key_marks: dict[Location, Mark] = field(default_factory=dict)
    #: Style of every scalar: ``None`` plain, ``'"'``/``"'"`` quoted, ``'|'``/``'>'`` block.
    styles: dict[Location, str | None] = field(default_factory=dict)

    def mark(self, loc: Location) -> Mark:
        """Position of the value at ``loc``, or of its closest existing parent."""
        for cut in range(len(loc), -1, -1):
            found = self.marks.get(loc[:cut])
            if found is not None:
                return found
        return (self.file, 1, 1)

    def key_mark(self, loc: Location) -> Mark:
        """Position of the key that introduces ``loc`` (the value's if there is no key)."""
        return self.key_marks.get(loc) or self.mark(loc)

    def finding(self, loc: Location, message: str, *, at_key: bool = False) -> Finding:
        file, line, col = self.key_mark(loc) if at_key else self.mark(loc)
        return Finding(file, line, col, message)


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.findings: list[Finding] = []
        self.marks: dict[Location, Mark] = {}
        self.key_marks: dict[Location, Mark] = {}
        self.styles: dict[Location, str | None] = {}
        self.count = 0

    def at(self, node: yaml.Node) -> Mark:
        return (self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def error(self, node: yaml.Node, message: str) -> None:
        self.findings.append(Finding(*self.at(node), message))

    def build(self, node: yaml.Node, loc: Location, depth: int) -> Any:
        self.count += 1
        if self.count > _MAX_NODES:
            raise _TooLarge(f"more than {_MAX_NODES} values (is an alias expanding too much?)")
        if depth > _MAX_DEPTH:
            raise _TooLarge(f"nested deeper than {_MAX_DEPTH} levels")
        self.marks[loc] = self.at(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, loc, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag not in (_TAG + "seq",):
                self.error(node, f"unsupported YAML tag '{node.tag}'")
            return [self.build(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        self.styles[loc] = node.style or None
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, loc: Location, depth: int) -> dict[str, Any]:
        if node.tag != _TAG + "map":
            self.error(node, f"unsupported YAML tag '{node.tag}'")
        out: dict[str, Any] = {}
        first: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node)
            if key is None:
                continue
            if key in first:
                _, line, _col = first[key]
                self.error(key_node, f"duplicate key '{key}' (first defined at line {line})")
                continue
            first[key] = self.at(key_node)
            self.key_marks[(*loc, key)] = self.at(key_node)
            out[key] = self.build(value_node, (*loc, key), depth + 1)
        return out

    def key(self, node: yaml.Node) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, "a key must be plain text, not a list or mapping")
            return None
        tag = node.tag
        if tag == _TAG + "merge":
            self.error(node, "merge keys ('<<') are not supported; repeat the values instead")
            return None
        if tag == _TAG + "bool" and not node.style:
            self.error(
                node,
                f"key '{node.value}' is read as a boolean by YAML 1.1; quote it ('{node.value}')",
            )
            return None
        if tag == _TAG + "null" and not node.style:
            self.error(node, "a key must not be empty or null")
            return None
        if not tag.startswith(_TAG) or tag == _TAG + "binary":
            self.error(node, f"unsupported YAML tag '{tag}'")
            return None
        return str(node.value)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag, str(node.value)
        plain = not node.style
        if not plain or tag == _TAG + "str":
            return text
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            if text in ("true", "false"):
                return text == "true"
            self.error(
                node,
                f"'{text}' is a YAML 1.1 boolean; write true or false, "
                f"or quote it ('{text}') if you mean text",
            )
            return text
        if tag == _TAG + "int":
            return int(text) if _CANONICAL_INT.fullmatch(text) else text
        if tag == _TAG + "float":
            return float(text) if _CANONICAL_FLOAT.fullmatch(text) else text
        if tag == _TAG + "timestamp":
            return text
        self.error(node, f"unsupported YAML tag '{tag}'")
        return None


class _TooLarge(Exception):
    pass


def _problem(err: yaml.YAMLError, file: str) -> Finding:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    if isinstance(err, yaml.MarkedYAMLError):
        text = " ".join(p for p in (err.context, err.problem) if p) or "invalid YAML"
    else:
        text = str(err).splitlines()[0] if str(err) else "invalid YAML"
    if isinstance(err, yaml.reader.ReaderError):
        text = f"unreadable character {err.character!r} ({err.reason})"
    if mark is not None:
        return Finding(file, mark.line + 1, mark.column + 1, f"invalid YAML: {text}")
    return Finding(file, 1, 1, f"invalid YAML: {text}")


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return deepest


def _compose(text: str) -> list[yaml.Node]:
    """libyaml when it is there and the text is sane; PyYAML's own parser for the messages."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None and len(text) <= _MAX_TEXT and _bracket_depth(text) <= _MAX_DEPTH:
        try:
            return list(yaml.compose_all(text, Loader=fast))
        except yaml.YAMLError:
            pass
    return list(yaml.compose_all(text, Loader=yaml.SafeLoader))


def load_yaml(text: str, file: str) -> tuple[Document | None, list[Finding]]:
    """Compose ``text`` strictly; return the document (``None`` if unusable) and findings."""
    if len(text) > _MAX_TEXT:
        return None, [Finding(file, 1, 1, f"file larger than {_MAX_TEXT // 1_000_000} MB")]
    try:
        nodes = _compose(text)
    except yaml.YAMLError as err:
        return None, [_problem(err, file)]
    except RecursionError:
        return None, [Finding(file, 1, 1, "invalid YAML: nested too deeply")]
    if not nodes:
        return Document(file, {}), []
    if len(nodes) > 1:
        second = nodes[1]
        line = second.start_mark.line + 1 if second is not None else 1
        return None, [Finding(file, line, 1, "a file must hold one YAML document, found more")]
    root = nodes[0]
    builder = _Builder(file)
    try:
        data = builder.build(root, (), 0)
    except (_TooLarge, RecursionError) as err:
        message = str(err) if isinstance(err, _TooLarge) else "nested too deeply"
        return None, [Finding(*builder.at(root), f"invalid YAML: {message}")]
    doc = Document(file, data, builder.marks, builder.key_marks, builder.styles)
    findings = builder.findings
    if data is None:
        doc.data = {}
    elif not isinstance(data, dict):
        findings.append(
            Finding(*builder.at(root), "the top level of a file must be a mapping of sections")
        )
        return None, findings
    return doc, findings
