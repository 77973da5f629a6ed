"""Test helpers: term files written the way Anki and Pleco write them.

Anki's "Notes in Plain Text" export, as Anki writes it:
- since 2.1.55 (the Rust exporter): header lines `#separator:tab`, `#html:true|false`, then
  `#tags column:N` (1-based, the last column) when tags are included; one note per line, fields
  separated by tabs and quoted CSV-style only where needed (a tab, a double quote, a line end);
  with html false, HTML is stripped from the fields;
- before 2.1.55 (the Python exporter): no header at all; each field with its line ends turned into
  spaces and tabs into eight spaces, quoted (with doubled quotes) only when it holds a double quote;
  with html false, HTML stripped; tags as the last column.
Pleco's flashcard export: `// Category` lines, then `简体[繁體]<TAB>pin1yin1<TAB>definition`.
"""
from __future__ import annotations

import html
import re


def _strip_html(field: str) -> str:
    field = re.sub(r"(?i)<br\s*/?>", "\n", field)
    return html.unescape(re.sub(r"<[^>]+>", "", field))


def anki_notes(notes: list[list[str]], *, with_html: bool, header: bool = True,
               tags: list[str] | None = None) -> bytes:
    """The bytes of an Anki "Notes in Plain Text" export of `notes` (each its fields as Anki stores
    them, i.e. HTML), with a `#tags column` when tags are given (one string per note)."""
    lines = []
    if header:
        lines += ["#separator:tab", f"#html:{'true' if with_html else 'false'}"]
        if tags is not None:
            lines.append(f"#tags column:{len(notes[0]) + 1}")
    for index, fields in enumerate(notes):
        cells = [field if with_html else _strip_html(field) for field in fields]
        if tags is not None:
            cells.append(tags[index])
        lines.append("\t".join(_modern(cell) if header else _legacy(cell) for cell in cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _modern(cell: str) -> str:
    if any(ch in cell for ch in '\t"\n\r') or cell.startswith("#"):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _legacy(cell: str) -> str:
    cell = cell.replace("\n", " ").replace("\t", " " * 8)
    if '"' in cell:
        cell = '"' + cell.replace('"', '""') + '"'
    return cell


def pleco_export(categories: dict[str, list[tuple[str, str, str, str]]], encoding: str = "utf-8") -> bytes:
    """Pleco's flashcard text export: per category, `// name` then (simplified, traditional,
    numbered pinyin, definition) cards; Pleco writes 简体[繁體] only where the forms differ."""
    lines = []
    for name, cards in categories.items():
        lines.append(f"// {name}")
        for simplified, traditional, pinyin, definition in cards:
            head = simplified if traditional in ("", simplified) else f"{simplified}[{traditional}]"
            lines.append(f"{head}\t{pinyin}\t{definition}")
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


# ---- the add-terms preview, submitted as an instructor would ---------------------------------------

def confirm(client, deck_id, page, include=None, duplicates=None, **overrides):
    """Submit the preview's table as the instructor would, optionally unticking rows or editing fields."""
    return client.post(f"/decks/{deck_id}/terms", data=preview_form(page, include, duplicates, **overrides))


def preview_form(page, include=None, duplicates=None, **overrides):
    fields = ("hanzi", "traditional", "pinyin", "english", "example_zh", "example_pinyin", "example_en", "note")
    table = page.split('<table class="preview editable">')[1]
    rows = []
    for chunk in table.split("<tr")[2:]:
        row = {"key": re.search(r'name="key" value="([^"]*)"', chunk)[1]}
        for name in fields:
            match = re.search(rf'name="{name}" value="([^"]*)"', chunk)
            if match:
                row[name] = html_unescape(match[1])
            elif name == "pinyin":  # a word with several readings: the selected option
                row[name] = html_unescape(re.search(r'<option value="([^"]*)"[^>]*selected', chunk)[1])
        row["ticked"] = 'name="include" value="' + row["key"] + '" checked' in chunk
        rows.append(row)
    data = {name: [r.get(name, "") for r in rows] for name in fields}
    for (index, name), value in overrides.get("edits", {}).items():
        data[name][index] = value
    data["key"] = [r["key"] for r in rows]
    data["include"] = [r["key"] for i, r in enumerate(rows) if (r["ticked"] if include is None else i in include)]
    data["source"] = re.search(r'name="source" value="([^"]*)"', page)[1]
    for name in ("file_b64",):
        match = re.search(rf'name="{name}" value="([^"]*)"', page)
        if match:
            data[name] = match[1]
    columns = re.findall(r'<input type="hidden" name="column" value="([^"]*)">', page)
    if columns:
        data["column"] = columns
    if duplicates:
        data["duplicates"] = duplicates
    return data


def html_unescape(text):
    return html.unescape(text)
