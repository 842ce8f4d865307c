"""The learner's workspace: course files copied where the learner can edit them, never clobbered.

``itpm-course start`` calls :func:`sync` before it opens JupyterLab. The workspace (default
``~/itpm-course``) gets:

* the course notebooks (``00_start_here.ipynb`` … at the top level);
* ``data/``: the sample plans and exports the package ships (the notebooks load them through
  the package; the copies are there to open, edit and feed to ``itpm-course plan …``);
* ``assignments/``: the student versions of the graded assignments, when the course has any;
* ``.itpm-course/``: the course's own bookkeeping — ``manifest.json`` (what was delivered),
  ``progress.jsonl`` (self-check results, see :mod:`itpm_course.progress`) and ``backups/``.

The rules (the behaviour people know from nbgitpuller), for each course file:

============================  ===============================================================
learner's copy                what a sync does
============================  ===============================================================
absent, never delivered       the file arrives ("new")
as delivered last time        replaced by the new version when the course changed ("updated")
changed by the learner        kept exactly as it is; when the course changed, the new version
                              is saved beside it, ``NAME.course-vX.Y.Z.EXT``, and a message
                              says so ("kept your version")
deleted by the learner        restored ("restored") — delete or rename a file and run
                              ``itpm-course start`` again to get a fresh copy, as in nbgitpuller
no longer in the course       left alone, never deleted ("retired")
============================  ===============================================================

"Changed" means the bytes differ from what was delivered, except that a notebook whose cells
(type and source) are unchanged counts as unchanged: running a notebook only adds outputs, and
an upgrade should not turn every notebook a learner ran into a conflict. Such a notebook is
still copied to ``.itpm-course/backups/`` before it is replaced, so not even outputs are lost.

Every write is atomic (a temporary file in the same directory, then a rename), the manifest is
written last, and a sync that stops half-way (disk full, killed) is finished by the next one:
the rules above only ever compare hashes, so a repeated sync is harmless.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from itpm_course import __version__

ENV_WORKSPACE = "ITPM_COURSE_WORKSPACE"
STATE_DIR = ".itpm-course"
MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
DEFAULT_WORKSPACE = Path("~/itpm-course")

_SKIP_DIRS = {".ipynb_checkpoints", "__pycache__", ".git"}
_SKIP_SUFFIXES = {".py", ".pyc"}  # in data/: the package's loader modules are not data


class WorkspaceError(Exception):
    """A workspace problem to show the learner as one clear sentence (no traceback)."""


# --------------------------------------------------------------------------- locations


def default_workspace() -> Path:
    """``$ITPM_COURSE_WORKSPACE`` when set, else ``~/itpm-course``."""
    env = os.environ.get(ENV_WORKSPACE)
    return Path(env).expanduser() if env else DEFAULT_WORKSPACE.expanduser()


def is_workspace(path: Path) -> bool:
    """True when ``path`` holds a workspace marker (``.itpm-course/manifest.json``)."""
    return (Path(path) / STATE_DIR / MANIFEST).is_file()


def find_workspace(start: Path | None = None) -> Path | None:
    """The workspace in use: ``$ITPM_COURSE_WORKSPACE`` if it is one, else the nearest
    directory at or above ``start`` (default: the current directory) with a workspace marker."""
    env = os.environ.get(ENV_WORKSPACE)
    if env and is_workspace(Path(env).expanduser()):
        return Path(env).expanduser().resolve()
    try:
        here = Path(start or Path.cwd()).resolve()
    except OSError:
        return None
    for directory in (here, *here.parents):
        if is_workspace(directory):
            return directory
    return None


def state_dir(workspace: Path) -> Path:
    return Path(workspace) / STATE_DIR


# --------------------------------------------------------------------------- course files


def _package_dir() -> Path:
    return Path(__file__).resolve().parent


def assignments_dir() -> Path | None:
    """Student versions of the assignments: ``assignments/`` of a clone, else the copy in the
    wheel (``itpm_course/_course/assignments``); None when neither exists."""
    package = _package_dir()
    for candidate in (package.parent / "assignments", package / "_course" / "assignments"):
        if candidate.is_dir() and any(_walk(candidate)):
            return candidate
    return None


def _walk(root: Path, skip_suffixes: frozenset[str] | set[str] = frozenset()) -> Iterator[Path]:
    """Files under ``root``, sorted, without hidden files, checkpoints and caches."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or Path(name).suffix in skip_suffixes:
                continue
            yield Path(dirpath) / name


def course_files(
    notebooks: Path | None = None,
    data: Path | None = None,
    assignments: Path | None = None,
) -> dict[str, Path]:
    """What a workspace receives: workspace-relative POSIX path -> source file.

    Defaults: the course notebooks (:func:`itpm_course.course.notebooks_dir`) at the top level,
    the package's sample data under ``data/`` and the student assignments under
    ``assignments/``. Tests pass their own directories.
    """
    from itpm_course.course import notebooks_dir  # noqa: PLC0415

    notebooks = notebooks or notebooks_dir()
    data = data or _package_dir() / "data"
    assignments = assignments if assignments is not None else assignments_dir()
    files: dict[str, Path] = {}
    if notebooks.is_dir():
        for path in _walk(notebooks):
            files[path.relative_to(notebooks).as_posix()] = path
    if data.is_dir():
        for path in _walk(data, _SKIP_SUFFIXES):
            files["data/" + path.relative_to(data).as_posix()] = path
    if assignments is not None and assignments.is_dir():
        for path in _walk(assignments):
            files["assignments/" + path.relative_to(assignments).as_posix()] = path
    return files


# --------------------------------------------------------------------------- hashing


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_hash(rel: str, data: bytes) -> str:
    """The hash of what a learner writes: for a notebook, its cells' types and sources (not
    outputs, execution counts or metadata); for any other file, its bytes."""
    if rel.endswith(".ipynb"):
        try:
            nb = json.loads(data.decode("utf-8"))
            cells = [
                [
                    cell.get("cell_type"),
                    "".join(cell.get("source", ""))
                    if isinstance(cell.get("source"), list)
                    else cell.get("source", ""),
                ]
                for cell in nb["cells"]
            ]
        except (ValueError, KeyError, TypeError, AttributeError):
            return "raw:" + file_hash(data)
        return "cells:" + file_hash(json.dumps(cells, ensure_ascii=False).encode("utf-8"))
    return "raw:" + file_hash(data)


# --------------------------------------------------------------------------- writing


def _explain(exc: OSError, path: Path) -> str:
    """One sentence for an OS error while writing ``path``."""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return (
            f"no space left on the device while writing {path}. Free some space and run "
            "`itpm-course start` again: your files were not touched, and the sync resumes "
            "where it stopped."
        )
    if code in (errno.EROFS,):
        return f"{path} is on a read-only file system; choose another --workspace."
    if code in (errno.EACCES, errno.EPERM):
        return f"permission denied writing {path}; choose a --workspace you can write to."
    if code == errno.ENOTDIR:
        return f"cannot write {path}: a part of that path is a file, not a directory."
    if code == errno.EISDIR:
        return f"cannot write {path}: it is a directory."
    return f"cannot write {path}: {exc.strerror or exc}"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a temporary file beside it, then a rename.

    Readers see the old file or the new one, never a half-written one; on error the temporary
    file is removed and the old file is untouched.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise WorkspaceError(_explain(exc, path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WorkspaceError(_explain(exc, path)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --------------------------------------------------------------------------- manifest


@dataclass
class Manifest:
    """What the course delivered last: workspace-relative path -> hashes as delivered."""

    course_version: str | None = None
    files: dict[str, dict] = field(default_factory=dict)

    def to_json(self) -> bytes:
        data = {
            "format": MANIFEST_FORMAT,
            "about": "Written by `itpm-course start`: the course files as last delivered. "
            "Deleting this file is safe (the next start treats every differing file as yours).",
            "course_version": self.course_version,
            "synced_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "files": dict(sorted(self.files.items())),
        }
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _valid_entry(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("sha256"), str)
        and isinstance(entry.get("content"), str)
    )


def read_manifest(workspace: Path) -> tuple[Manifest, str | None]:
    """The workspace's manifest and a warning, if it was unreadable.

    A corrupt manifest is moved aside (``manifest.json.corrupt-TIMESTAMP``) and an empty one is
    used: the sync then keeps every file that differs from the course as the learner's, so
    nothing is overwritten.
    """
    path = state_dir(workspace) / MANIFEST
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Manifest(), None
    except OSError as exc:
        raise WorkspaceError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
            raise ValueError("not a manifest")
        files = {k: v for k, v in data["files"].items() if isinstance(k, str) and _valid_entry(v)}
        if len(files) != len(data["files"]):
            raise ValueError("bad entries")
        version = data.get("course_version")
        return Manifest(version if isinstance(version, str) else None, files), None
    except (ValueError, UnicodeDecodeError):
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = path.with_name(f"{MANIFEST}.corrupt-{stamp}")
        with contextlib.suppress(OSError):
            os.replace(path, aside)
        return Manifest(), (
            f"the workspace manifest was unreadable (moved to {aside.name}); files that differ "
            "from the course are kept as yours and the new versions saved beside them."
        )


# --------------------------------------------------------------------------- sync


@dataclass
class SyncReport:
    """What a sync did, file by file (workspace-relative paths)."""

    workspace: Path
    course_version: str
    previous_version: str | None = None
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)  # (learner's file, new version)
    retired: list[str] = field(default_factory=list)
    backups: list[str] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.restored or self.kept or self.retired)

    def to_dict(self) -> dict:
        return {
            "workspace": str(self.workspace),
            "course_version": self.course_version,
            "previous_version": self.previous_version,
            "added": self.added,
            "updated": self.updated,
            "restored": self.restored,
            "kept": [{"file": f, "new_version": b} for f, b in self.kept],
            "retired": self.retired,
            "backups": self.backups,
            "unchanged": self.unchanged,
            "warnings": self.warnings,
        }

    def lines(self) -> list[str]:
        """Messages for people, one per line."""
        out: list[str] = []
        if self.previous_version is None and not (self.updated or self.kept):
            out.append(f"Course v{self.course_version} set up in {self.workspace}")
        elif self.previous_version and self.previous_version != self.course_version:
            out.append(
                f"Course upgraded from v{self.previous_version} to v{self.course_version} "
                f"in {self.workspace}"
            )
        else:
            out.append(f"Workspace {self.workspace} (course v{self.course_version})")

        def block(title: str, items: list[str]) -> None:
            if items:
                out.append(f"  {title} ({len(items)}):")
                out.extend(f"    {item}" for item in items)

        block("new", self.added)
        block("updated", self.updated)
        block("restored (you had deleted them)", self.restored)
        if self.kept:
            out.append(
                f"  kept your version, new course version saved beside it ({len(self.kept)}):"
            )
            out.extend(f"    {mine}  ->  new version in {theirs}" for mine, theirs in self.kept)
        block("no longer part of the course (left as they are)", self.retired)
        if self.backups:
            out.append(
                f"  {len(self.backups)} notebook(s) you had only run were updated; "
                f"your copies with outputs are in {STATE_DIR}/backups/"
            )
        if not self.changed:
            out.append("  everything is up to date")
        out.extend(f"  warning: {w}" for w in self.warnings)
        return out


def beside_name(rel: str, version: str, n: int = 1) -> str:
    """``05_x.ipynb`` -> ``05_x.course-v0.2.0.ipynb`` (``…-v0.2.0-2.ipynb`` for n=2)."""
    path = Path(rel)
    tag = f".course-v{version}" + (f"-{n}" if n > 1 else "")
    name = f"{path.stem}{tag}{path.suffix}" if path.suffix else f"{path.name}{tag}"
    return (path.parent / name).as_posix() if path.parent != Path(".") else name


def _read(path: Path) -> bytes | None:
    """The bytes of a workspace file; None if missing; a directory counts as a learner file."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        return b"\0directory"
    except NotADirectoryError:
        return b"\0blocked"  # a parent is a file the learner made: treat as the learner's
    except OSError as exc:
        raise WorkspaceError(f"cannot read {path}: {exc.strerror or exc}") from None


def _check_workspace(workspace: Path, files: Mapping[str, Path]) -> None:
    if workspace.exists() and not workspace.is_dir():
        raise WorkspaceError(f"{workspace} is a file, not a directory; choose another --workspace.")
    roots = {src.parent.resolve() for src in files.values()}
    resolved = workspace.resolve()
    package = _package_dir()
    roots.add(package)
    for root in roots:
        if resolved in (root, package.parent) or root in resolved.parents:
            raise WorkspaceError(
                f"{workspace} holds the course's own files; choose another --workspace "
                f"(the default is {DEFAULT_WORKSPACE})."
            )


@contextlib.contextmanager
def _locked(workspace: Path) -> Iterator[None]:
    """Hold an exclusive lock on the workspace (POSIX; elsewhere a no-op)."""
    try:
        import fcntl  # noqa: PLC0415
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    lock_path = state_dir(workspace) / "lock"
    try:
        handle = open(lock_path, "a+b")  # noqa: SIM115
    except OSError as exc:
        raise WorkspaceError(_explain(exc, lock_path)) from None
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def sync(
    workspace: Path | str | None = None,
    files: Mapping[str, Path] | None = None,
    version: str | None = None,
) -> SyncReport:
    """Bring the course files into ``workspace`` without ever overwriting the learner's work.

    ``files`` (workspace path -> source, default :func:`course_files`) and ``version`` (default
    the installed package's) are there for tests. Raises :class:`WorkspaceError` with a clear
    message for a workspace that is a file, read-only or full.
    """
    workspace = Path(workspace).expanduser() if workspace else default_workspace()
    version = version or __version__
    files = dict(course_files() if files is None else files)
    _check_workspace(workspace, files)
    try:
        state_dir(workspace).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(_explain(exc, workspace)) from None
    workspace = workspace.resolve()
    with _locked(workspace):
        manifest, warning = read_manifest(workspace)
        report = SyncReport(workspace, version, manifest.course_version)
        if warning:
            report.warnings.append(warning)
        new_manifest = Manifest(version, {})
        try:
            for rel in sorted(files):
                _sync_one(workspace, rel, files[rel], manifest, new_manifest, report, version)
            for rel in sorted(set(manifest.files) - set(files)):
                entry = dict(manifest.files[rel])
                if not entry.get("retired"):
                    entry["retired"] = True
                    if (workspace / rel).exists():
                        report.retired.append(rel)
                new_manifest.files[rel] = entry
        finally:
            # Write what was done even when a later file failed: the next sync goes on from there.
            # (The rules compare hashes, so an unrecorded delivery is recognised next time too.)
            for rel, entry in manifest.files.items():
                new_manifest.files.setdefault(rel, entry)
            atomic_write(state_dir(workspace) / MANIFEST, new_manifest.to_json())
    return report


def _sync_one(
    workspace: Path,
    rel: str,
    source: Path,
    manifest: Manifest,
    new_manifest: Manifest,
    report: SyncReport,
    version: str,
) -> None:
    try:
        new = source.read_bytes()
    except OSError as exc:
        report.warnings.append(f"course file {source} could not be read ({exc.strerror or exc})")
        return
    new_entry = {"sha256": file_hash(new), "content": content_hash(rel, new)}
    old_entry = manifest.files.get(rel)
    target = workspace / rel
    current = _read(target)

    if current is None:
        atomic_write(target, new)
        (report.restored if old_entry else report.added).append(rel)
    elif file_hash(current) == new_entry["sha256"]:
        report.unchanged += 1
    elif old_entry is not None and old_entry["sha256"] == new_entry["sha256"]:
        report.unchanged += 1  # course unchanged since delivery; the learner's edits stay
        if old_entry.get("beside"):
            new_entry["beside"] = old_entry["beside"]
    elif old_entry is not None and _untouched(rel, current, old_entry):
        if file_hash(current) != old_entry["sha256"]:  # only outputs differ: keep a copy
            backup = f"{STATE_DIR}/backups/v{manifest.course_version or 'unknown'}/{rel}"
            atomic_write(workspace / backup, current)
            report.backups.append(backup)
        atomic_write(target, new)
        report.updated.append(rel)
    else:
        beside = _save_beside(workspace, rel, new, version)
        new_entry["beside"] = beside
        report.kept.append((rel, beside))
    new_manifest.files[rel] = new_entry


def _untouched(rel: str, current: bytes, entry: dict) -> bool:
    """True when the learner has not changed the file delivered as ``entry``."""
    return file_hash(current) == entry["sha256"] or content_hash(rel, current) == entry["content"]


def _save_beside(workspace: Path, rel: str, new: bytes, version: str) -> str:
    """Save the new version next to the learner's file under a free (or identical) name."""
    for n in range(1, 1000):
        name = beside_name(rel, version, n)
        existing = _read(workspace / name)
        if existing is None:
            atomic_write(workspace / name, new)
            return name
        if existing == new:
            return name
    raise WorkspaceError(f"too many saved course versions of {rel}; tidy them up and retry")
