"""Build the Traditional Chinese (zh-TW) notebooks from the English ones and their translation catalogs.

The English notebooks in notebooks/ are the one source of truth. For each of them, a catalog
notebooks/zh-TW/catalog/<notebook>.json holds the translation of every markdown cell, keyed by the English
cell's `id`, together with the English text it translates and that text's SHA-256. The build copies the English
notebook cell by cell: code cells (with their outputs) and all metadata unchanged, markdown cells replaced by
their translations. It refuses to build while a translation is missing or out of date.

    python notebooks/zh-TW/build.py            # write every zh-TW notebook (fails if a translation is missing or stale)
    python notebooks/zh-TW/build.py --check    # write nothing; fail if a zh-TW notebook differs from what the build gives
    python notebooks/zh-TW/build.py --todo     # add empty entries for new English cells; list what needs translating,
                                               # with the English diff of every cell that changed since its translation
    python notebooks/zh-TW/build.py --accept 04_validation_and_overfitting 1a2b3c4d
                                               # after updating that cell's translation: record that it now
                                               # translates the current English text (stores the text and its hash)

A change to English prose is not finished until its translation is updated in the same change: the tests
(tests/test_translation.py) run the same checks as --check.
"""
import argparse
import difflib
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent          # notebooks/zh-TW
ENGLISH = HERE.parent                            # notebooks
CATALOGS = HERE / "catalog"
LANGUAGE = "zh-TW"


def text_of(cell):
    """A cell's source as one string (notebooks store it as a list of lines)."""
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def lines_of(text):
    """A string as notebook source lines (each but the last keeps its newline)."""
    return text.splitlines(keepends=True)


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def english_notebooks():
    return sorted(ENGLISH.glob("[0-9][0-9]_*.ipynb"))


def catalog_path(notebook):
    return CATALOGS / f"{Path(notebook).stem}.json"


def load_json(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def dumps(obj):
    """JSON as Jupyter writes notebooks (indent 1, sorted keys, UTF-8 characters kept), ending in a newline."""
    return json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def markdown_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "markdown"]


def problems(english, catalog):
    """Everything that stops the catalog from translating this English notebook, one message per cell."""
    found = []
    entries = {e["id"]: e for e in catalog["cells"]}
    ids = [c["id"] for c in markdown_cells(english)]
    for cell in markdown_cells(english):
        now = text_of(cell)
        entry = entries.get(cell["id"])
        if entry is None or not text_of({"source": entry.get(LANGUAGE) or ""}).strip():
            found.append(f"cell {cell['id']}: no translation yet (run build.py --todo, then translate its \"{LANGUAGE}\")")
            continue
        was = text_of({"source": entry["en"]})
        if sha256(was) != entry["sha256"]:
            found.append(f"cell {cell['id']}: the catalog's English text does not match its sha256 "
                         "(edit translations only, and record them with build.py --accept)")
        elif entry["sha256"] != sha256(now):
            diff = "".join(difflib.unified_diff(lines_of(was + "\n"), lines_of(now + "\n"),
                                                "English when translated", "English now", n=1))
            found.append(f"cell {cell['id']}: the English text changed since it was translated; update the translation, "
                         f"then run build.py --accept {catalog['notebook'][:-6]} {cell['id']}\n{diff}")
    for extra in sorted(set(entries) - set(ids)):
        found.append(f"cell {extra}: the catalog translates a cell the English notebook no longer has as markdown; "
                     "delete the entry")
    return found


def build(english, catalog):
    """The zh-TW notebook: the English one with every markdown cell's source replaced by its translation."""
    found = problems(english, catalog)
    if found:
        raise ValueError(f"{catalog['notebook']}: cannot build the {LANGUAGE} notebook:\n" + "\n".join(found))
    translations = {e["id"]: text_of({"source": e[LANGUAGE]}) for e in catalog["cells"]}
    out = json.loads(json.dumps(english))   # a deep copy: code cells, outputs and metadata stay as they are
    for cell in out["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = lines_of(translations[cell["id"]])
    return out


def todo(english, catalog):
    """Add an empty entry for every English markdown cell the catalog lacks, in the notebook's order."""
    entries = {e["id"]: e for e in catalog["cells"]}
    cells = []
    for cell in markdown_cells(english):
        text = text_of(cell)
        cells.append(entries.get(cell["id"]) or {"id": cell["id"], "sha256": sha256(text), "en": lines_of(text),
                                                 LANGUAGE: None})
    cells += [e for i, e in entries.items() if i not in {c["id"] for c in cells}]   # kept, so problems() names them
    catalog["cells"] = cells
    return catalog


def accept(english, catalog, cell_id):
    """Record that the cell's translation now translates the English cell's current text."""
    cell = next((c for c in markdown_cells(english) if c["id"] == cell_id), None)
    if cell is None:
        raise ValueError(f"{catalog['notebook']} has no markdown cell with id {cell_id}")
    entry = next((e for e in catalog["cells"] if e["id"] == cell_id), None)
    if entry is None or not entry.get(LANGUAGE):
        raise ValueError(f"cell {cell_id} has no translation to accept: write its \"{LANGUAGE}\" first")
    entry["en"] = lines_of(text_of(cell))
    entry["sha256"] = sha256(text_of(cell))


def load_catalog(notebook):
    path = catalog_path(notebook)
    if path.exists():
        return load_json(path)
    return {"notebook": Path(notebook).name, "language": LANGUAGE, "cells": []}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", action="store_true", help="write nothing; fail if any zh-TW notebook is out of date")
    group.add_argument("--todo", action="store_true", help="add entries for new cells and list what needs translating")
    group.add_argument("--accept", nargs=2, metavar=("NOTEBOOK", "CELL_ID"),
                       help="record that a cell's updated translation matches the current English text")
    args = parser.parse_args(argv)
    failed = False
    if args.accept and args.accept[0] not in {p.stem for p in english_notebooks()} | {p.name for p in english_notebooks()}:
        parser.error(f"no English notebook called {args.accept[0]} (give its file name, e.g. 01_lecture_duration_regression)")
    for path in english_notebooks():
        english, catalog = load_json(path), load_catalog(path)
        if args.accept:
            if args.accept[0] in (path.stem, path.name):
                accept(english, catalog, args.accept[1])
                catalog_path(path).write_text(dumps(catalog), encoding="utf-8")
                print(f"{path.stem}: cell {args.accept[1]} recorded as translated")
            continue
        if args.todo:
            CATALOGS.mkdir(exist_ok=True)
            catalog_path(path).write_text(dumps(todo(english, catalog)), encoding="utf-8")
            for message in problems(english, catalog):
                print(f"{path.stem}: {message}")
            continue
        target = HERE / path.name
        try:
            text = dumps(build(english, catalog))
        except ValueError as err:
            print(err, file=sys.stderr)
            failed = True
            continue
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                print(f"{target.relative_to(ENGLISH.parent)} differs from what the build writes: "
                      "run python notebooks/zh-TW/build.py", file=sys.stderr)
                failed = True
        elif not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(ENGLISH.parent)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
