"""Notebook hygiene: strip outputs and stray metadata so notebooks are committed clean.

Usage::

    python -m itpm_course.notebook_tools clean notebooks/*.ipynb   # rewrite in place
    python -m itpm_course.notebook_tools check notebooks/*.ipynb   # report, exit 1 if dirty
    python -m itpm_course.notebook_tools record notebooks          # run; save checked outputs
    python -m itpm_course.notebook_tools apply notebooks --to DIR  # copies with those outputs

Notebooks are committed without outputs, yet nbval should compare the outputs of the cells
marked ``# NBVAL_CHECK_OUTPUT`` (the ones whose output is the lesson).  ``record`` executes the
notebooks and stores those cells' outputs as golden files (``tests/notebooks/golden/NAME.json``,
keyed by cell id); ``apply`` writes copies of the clean notebooks with the golden outputs put
back, and ``make test`` runs nbval on the copies.  A changed lesson output then fails nbval
until someone looks at it and records it again.

A clean notebook has no outputs or execution counts, notebook metadata reduced to the python3
kernelspec and ``language_info.name``, nbformat 4.5 with a valid unique id on every cell, cell
metadata limited to :data:`ALLOWED_CELL_METADATA`, and is written the way nbformat writes it
(indent 1, sorted keys, trailing newline) so diffs stay small.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path

import nbformat

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python"}
NOTEBOOK_METADATA = {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO}
NBFORMAT, NBFORMAT_MINOR = 4, 5
#: Cell metadata that carries meaning (tags for nbval/self-checks, nbgrader's grading cells,
#: lock flags for read-only cells); everything else (collapsed, scrolled, execution…) is noise.
ALLOWED_CELL_METADATA = ("tags", "nbgrader", "deletable", "editable")

_CELL_ID = re.compile(r"^[a-zA-Z0-9-_]{1,64}$")
_TEACHING_NAME = re.compile(r"^\d\d_.+\.ipynb$")


def _new_id(taken: set[str]) -> str:
    while True:
        cid = uuid.uuid4().hex[:8]
        if cid not in taken:
            return cid


def clean_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A clean copy of ``nb`` (the input is not modified); existing valid cell ids are kept."""
    nb = copy.deepcopy(nb)
    nb.nbformat, nb.nbformat_minor = NBFORMAT, NBFORMAT_MINOR
    nb.metadata = nbformat.from_dict(copy.deepcopy(NOTEBOOK_METADATA))
    taken: set[str] = set()
    for cell in nb.cells:
        cid = cell.get("id")
        if not isinstance(cid, str) or not _CELL_ID.match(cid) or cid in taken:
            cid = _new_id(taken)
        cell["id"] = cid
        taken.add(cid)
        cell.metadata = nbformat.from_dict(
            {k: v for k, v in cell.get("metadata", {}).items() if k in ALLOWED_CELL_METADATA}
        )
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        else:
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    return nb


def check_notebook(nb: nbformat.NotebookNode) -> list[str]:
    """Hygiene violations of ``nb`` as readable messages (empty when clean)."""
    problems: list[str] = []
    if (nb.get("nbformat"), nb.get("nbformat_minor")) != (NBFORMAT, NBFORMAT_MINOR):
        problems.append(
            f"nbformat is {nb.get('nbformat')}.{nb.get('nbformat_minor')}, "
            f"expected {NBFORMAT}.{NBFORMAT_MINOR}"
        )
    if dict(nb.get("metadata", {})) != NOTEBOOK_METADATA:
        extra = sorted(set(nb.get("metadata", {})) - set(NOTEBOOK_METADATA))
        detail = f" (extra keys: {', '.join(extra)})" if extra else ""
        problems.append(
            "notebook metadata is not exactly kernelspec python3 + language_info.name" + detail
        )
    seen: set[str] = set()
    for k, cell in enumerate(nb.get("cells", []), start=1):
        where = f"cell {k} ({cell.get('cell_type')})"
        cid = cell.get("id")
        if cid is None:
            problems.append(f"{where}: no cell id")
        elif not isinstance(cid, str) or not _CELL_ID.match(cid):
            problems.append(f"{where}: invalid cell id {cid!r}")
        elif cid in seen:
            problems.append(f"{where}: duplicate cell id {cid!r}")
        else:
            seen.add(cid)
        stray = sorted(set(cell.get("metadata", {})) - set(ALLOWED_CELL_METADATA))
        if stray:
            problems.append(f"{where}: stray cell metadata {', '.join(stray)}")
        if cell.get("outputs"):
            problems.append(f"{where}: has {len(cell['outputs'])} output(s)")
        if cell.get("execution_count") is not None:
            problems.append(f"{where}: execution count {cell['execution_count']}")
    return problems


def check_file(path: str | Path) -> list[str]:
    """Hygiene violations of the notebook file at ``path``, including its on-disk format."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    except Exception as exc:  # nbformat raises several types for unreadable JSON
        return [f"not a readable notebook: {exc}"]
    problems = check_notebook(nb)
    if not problems and text != _serialise(nb):
        problems.append("not written in nbformat's layout (indent 1, sorted keys, final newline)")
    return problems


def _serialise(nb: nbformat.NotebookNode) -> str:
    text = nbformat.writes(nb, version=nbformat.NO_CONVERT)
    return text if text.endswith("\n") else text + "\n"


def clean_file(path: str | Path) -> bool:
    """Clean the notebook at ``path`` in place; returns True when the file changed."""
    path = Path(path)
    before = path.read_text(encoding="utf-8")
    nb = nbformat.reads(before, as_version=NBFORMAT)
    after = _serialise(clean_notebook(nb))
    if after == before:
        return False
    path.write_text(after, encoding="utf-8")
    return True


def _markdown_headings(nb: nbformat.NotebookNode) -> list[str]:
    return [
        line.lstrip("#").strip()
        for cell in nb.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if re.match(r"^#{1,6}\s", line)
    ]


def structure_problems(nb: nbformat.NotebookNode) -> list[str]:
    """What a teaching notebook lacks: a title first, "Learning objectives" and "Summary"."""
    problems: list[str] = []
    first = nb.cells[0] if nb.cells else None
    if first is None or first.cell_type != "markdown":
        problems.append("the first cell is not a markdown cell")
    elif not re.match(r"^#\s+\S", first.source.lstrip()):
        problems.append("the first cell does not start with a '# Title' heading")
    headings = [h.lower() for h in _markdown_headings(nb)]
    if not any("learning objectives" in h for h in headings):
        problems.append("no 'Learning objectives' heading")
    if not any("summary" in h for h in headings):
        problems.append("no 'Summary' heading")
    return problems


def is_teaching_notebook(path: str | Path) -> bool:
    """True for ``notebooks/NN_topic.ipynb`` files."""
    path = Path(path)
    return path.parent.name == "notebooks" and bool(_TEACHING_NAME.match(path.name))


def find_notebooks(roots: Iterable[str | Path]) -> list[Path]:
    """All ``.ipynb`` files under ``roots``, sorted, skipping checkpoint folders."""
    found: list[Path] = []
    for root in map(Path, roots):
        if root.is_file():
            found.append(root)
        elif root.is_dir():
            found.extend(p for p in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return sorted(found)


CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
GOLDEN_DIR = Path(__file__).resolve().parent.parent / "tests" / "notebooks" / "golden"


def checked_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """Code cells whose first line is the nbval output-check mark."""
    return [
        c for c in nb.cells if c.cell_type == "code" and c.source.lstrip().startswith(CHECK_MARK)
    ]


def _golden_outputs(outputs: list) -> list[dict]:
    """Outputs as nbval compares them: streams and plain text, without execution counts.

    Consecutive pieces of one stream are joined (nbval joins them too): a kernel may send
    printed text in one message or in several, and the recording should not depend on that.
    """
    kept = []
    for out in outputs:
        if out.get("output_type") == "stream":
            last = kept[-1] if kept else None
            if last and last["output_type"] == "stream" and last["name"] == out["name"]:
                last["text"] += out["text"]
            else:
                kept.append({"output_type": "stream", "name": out["name"], "text": out["text"]})
        elif out.get("output_type") in ("execute_result", "display_data"):
            text = out.get("data", {}).get("text/plain")
            if text is not None:
                kept.append(
                    {
                        "output_type": out["output_type"],
                        "data": {"text/plain": text},
                        "metadata": {},
                    }
                )
    return kept


def record_golden(path: Path, golden_dir: Path = GOLDEN_DIR, timeout: int = 600) -> Path:
    """Execute ``path`` (in its folder) and save the outputs of its checked cells."""
    import json  # noqa: PLC0415

    from nbclient import NotebookClient  # noqa: PLC0415

    nb = nbformat.read(path, as_version=NBFORMAT)
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    golden = {c.id: _golden_outputs(c.outputs) for c in checked_cells(nb)}
    golden_dir.mkdir(parents=True, exist_ok=True)
    target = golden_dir / f"{path.stem}.json"
    target.write_text(
        json.dumps(golden, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    return target


def apply_golden(
    path: Path, out_dir: Path, golden_dir: Path = GOLDEN_DIR
) -> tuple[Path, list[str]]:
    """Write a copy of ``path`` into ``out_dir`` with golden outputs on its checked cells.

    Returns the copy and the ids of checked cells that have no golden output (new cells).
    """
    import json  # noqa: PLC0415

    nb = nbformat.read(path, as_version=NBFORMAT)
    source = golden_dir / f"{path.stem}.json"
    golden = json.loads(source.read_text(encoding="utf-8")) if source.is_file() else {}
    missing = []
    for count, cell in enumerate(checked_cells(nb), start=1):
        if cell.id in golden:
            # nbval only compares cells that look run: give them an execution count
            cell.execution_count = count
            cell.outputs = [nbformat.from_dict(o) for o in golden[cell.id]]
            for out in cell.outputs:
                if out.output_type == "execute_result":
                    out.execution_count = count
        else:
            missing.append(cell.id)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / path.name
    nbformat.write(nb, target)
    return target, missing


def main(argv: Sequence[str] | None = None) -> int:
    """``clean`` rewrites notebooks in place; ``check`` reports violations (exit 1 if any)."""
    parser = argparse.ArgumentParser(
        prog="python -m itpm_course.notebook_tools", description=__doc__.splitlines()[0]
    )
    parser.add_argument("action", choices=["clean", "check", "record", "apply"])
    parser.add_argument("paths", nargs="+", help="notebooks, or folders to search for them")
    parser.add_argument("--to", type=Path, help="with apply: the folder for the copies")
    args = parser.parse_args(argv)
    paths = find_notebooks(args.paths)
    if args.action == "record":
        for path in paths:
            print(f"recorded {record_golden(path)}")
        return 0
    if args.action == "apply":
        if args.to is None:
            parser.error("apply needs --to DIR")
        problems = 0
        for path in paths:
            target, missing = apply_golden(path, args.to)
            for cell_id in missing:
                print(
                    f"{path}: checked cell {cell_id} has no golden output; run 'record'",
                    file=sys.stderr,
                )
            problems += len(missing)
        print(f"{len(paths)} notebook(s) with golden outputs in {args.to}")
        return 1 if problems else 0
    if args.action == "clean":
        for path in paths:
            if clean_file(path):
                print(f"cleaned {path}")
        return 0
    dirty = 0
    for path in paths:
        problems = check_file(path)
        if is_teaching_notebook(path) and not any(p.startswith("not a readable") for p in problems):
            problems += structure_problems(nbformat.read(path, as_version=NBFORMAT))
        for problem in problems:
            print(f"{path}: {problem}")
        dirty += bool(problems)
    if dirty:
        print(
            f"{dirty} of {len(paths)} notebook(s) need attention; 'make clean-notebooks' fixes all but missing sections"
        )
        return 1
    print(f"{len(paths)} notebook(s) clean")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
