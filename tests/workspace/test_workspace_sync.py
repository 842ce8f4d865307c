"""The learner workspace: a course upgrade never overwrites the learner's work."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from itpm_course import workspace as wsmod
from itpm_course.workspace import (
    MANIFEST,
    STATE_DIR,
    WorkspaceError,
    atomic_write,
    beside_name,
    content_hash,
    course_files,
    find_workspace,
    is_workspace,
    read_manifest,
    sync,
)


def nb(*sources: str, outputs: bool = False) -> str:
    """A small notebook; ``outputs`` adds what running it would (outputs, execution counts)."""
    cells = []
    for i, src in enumerate(sources):
        cell = {
            "cell_type": "code",
            "id": f"c{i}",
            "metadata": {},
            "source": src,
            "execution_count": i + 1 if outputs else None,
            "outputs": (
                [{"output_type": "stream", "name": "stdout", "text": f"ran {i}\n"}]
                if outputs
                else []
            ),
        }
        cells.append(cell)
    return json.dumps(
        {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1
    )


def make_course(root: Path, tree: dict[str, str]) -> dict[str, Path]:
    """Write a course (notebooks/, data/, assignments/) under ``root``; return its file map."""
    for rel, text in tree.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return course_files(
        notebooks=root / "notebooks", data=root / "data", assignments=root / "assignments"
    )


V1 = {
    "notebooks/01_a.ipynb": nb("x = 1", "print(x)"),
    "notebooks/02_b.ipynb": nb("y = 2", "print(y)"),
    "notebooks/03_c.ipynb": nb("z = 3"),
    "notebooks/04_gone.ipynb": nb("old = True"),
    "data/plan.csv": "id,duration\nA,3\n",
    "data/agile/sprints.csv": "sprint,points\n1,20\n",
    "assignments/a1/a1.ipynb": nb("answer = None"),
}
V2 = {
    "notebooks/01_a.ipynb": nb("x = 10", "print(x)", "# new in v2"),
    "notebooks/02_b.ipynb": nb("y = 20", "print(y)"),
    "notebooks/03_c.ipynb": nb("z = 30"),
    "notebooks/05_new.ipynb": nb("fresh = True"),
    "data/plan.csv": "id,duration\nA,3\nB,4\n",
    "data/agile/sprints.csv": "sprint,points\n1,20\n",
    "assignments/a1/a1.ipynb": nb("answer = None"),
    "assignments/a2/a2.ipynb": nb("answer2 = None"),
}


@pytest.fixture
def course(tmp_path):
    """Two versions of a course and an empty workspace location."""
    return (
        make_course(tmp_path / "v1", V1),
        make_course(tmp_path / "v2", V2),
        tmp_path / "ws",
    )


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and STATE_DIR not in p.relative_to(root).parts
    }


def test_first_sync_delivers_notebooks_data_and_assignments(course):
    v1, _, ws = course
    report = sync(ws, v1, "0.1.0")
    assert sorted(report.added) == sorted(
        [
            "01_a.ipynb",
            "02_b.ipynb",
            "03_c.ipynb",
            "04_gone.ipynb",
            "data/plan.csv",
            "data/agile/sprints.csv",
            "assignments/a1/a1.ipynb",
        ]
    )
    assert report.changed and not report.kept and not report.updated
    for rel, source in v1.items():
        assert (ws / rel).read_bytes() == source.read_bytes()
    assert is_workspace(ws)
    manifest, warning = read_manifest(ws)
    assert warning is None and manifest.course_version == "0.1.0"
    assert set(manifest.files) == set(v1)
    assert "set up" in report.lines()[0]


def test_upgrade_keeps_every_learner_edit(course):
    """Acceptance: a workspace with learner edits survives a course upgrade with every edit
    intact; unchanged files update; new files arrive; a changed file's new version is saved
    beside it and the message lists it."""
    v1, v2, ws = course
    sync(ws, v1, "0.1.0")
    # The learner works: edits a notebook's code, only runs another, edits a data file,
    # writes a notebook of their own and a note in a subfolder, leaves the rest alone.
    edited_nb = nb("x = 1  # my own value", "print(x)", "my_answer = 42", outputs=True)
    (ws / "01_a.ipynb").write_text(edited_nb, encoding="utf-8")
    ran_only = nb("y = 2", "print(y)", outputs=True)
    (ws / "02_b.ipynb").write_text(ran_only, encoding="utf-8")
    (ws / "data/plan.csv").write_text("id,duration\nA,5\nMINE,1\n", encoding="utf-8")
    (ws / "my_notes.ipynb").write_text(nb("notes"), encoding="utf-8")
    (ws / "assignments/a1/scratch.txt").write_text("draft", encoding="utf-8")
    (ws / "04_gone.ipynb").write_text(nb("old = False  # edited"), encoding="utf-8")
    learner = snapshot(ws)

    report = sync(ws, v2, "0.2.0")

    # Every learner edit is intact, byte for byte.
    assert (ws / "01_a.ipynb").read_text(encoding="utf-8") == edited_nb
    assert (ws / "data/plan.csv").read_text(encoding="utf-8") == "id,duration\nA,5\nMINE,1\n"
    assert (ws / "my_notes.ipynb").read_bytes() == learner["my_notes.ipynb"]
    assert (ws / "assignments/a1/scratch.txt").read_text() == "draft"
    assert (ws / "04_gone.ipynb").read_bytes() == learner["04_gone.ipynb"]
    # ... and the new versions sit beside the changed files.
    assert (ws / "01_a.course-v0.2.0.ipynb").read_bytes() == v2["01_a.ipynb"].read_bytes()
    assert (ws / "data/plan.course-v0.2.0.csv").read_bytes() == v2["data/plan.csv"].read_bytes()
    assert sorted(report.kept) == [
        ("01_a.ipynb", "01_a.course-v0.2.0.ipynb"),
        ("data/plan.csv", "data/plan.course-v0.2.0.csv"),
    ]
    # Unchanged files update; a notebook that was only run counts as unchanged, with a backup.
    assert (ws / "03_c.ipynb").read_bytes() == v2["03_c.ipynb"].read_bytes()
    assert (ws / "02_b.ipynb").read_bytes() == v2["02_b.ipynb"].read_bytes()
    assert sorted(report.updated) == ["02_b.ipynb", "03_c.ipynb"]
    (backup,) = report.backups
    assert backup == f"{STATE_DIR}/backups/v0.1.0/02_b.ipynb"
    assert (ws / backup).read_text(encoding="utf-8") == ran_only
    # New files arrive; a file the course dropped is left alone.
    assert sorted(report.added) == ["05_new.ipynb", "assignments/a2/a2.ipynb"]
    assert (ws / "05_new.ipynb").read_bytes() == v2["05_new.ipynb"].read_bytes()
    assert report.retired == ["04_gone.ipynb"]
    # The message says what happened, naming the saved-beside files.
    text = "\n".join(report.lines())
    assert "upgraded from v0.1.0 to v0.2.0" in text
    assert "01_a.ipynb  ->  new version in 01_a.course-v0.2.0.ipynb" in text
    assert "data/plan.csv  ->  new version in data/plan.course-v0.2.0.csv" in text
    assert "05_new.ipynb" in text and "backups" in text
    # Nothing the learner had is missing; only files they had not changed were replaced.
    after = snapshot(ws)
    for rel, data in learner.items():
        if rel not in report.updated:
            assert after[rel] == data, rel


def test_resync_is_idempotent(course):
    v1, v2, ws = course
    sync(ws, v1, "0.1.0")
    again = sync(ws, v1, "0.1.0")
    assert not again.changed and again.unchanged == len(v1)
    assert "everything is up to date" in "\n".join(again.lines())
    (ws / "01_a.ipynb").write_text(nb("mine"), encoding="utf-8")
    sync(ws, v2, "0.2.0")
    before = snapshot(ws)
    manifest_before = read_manifest(ws)[0].files
    third = sync(ws, v2, "0.2.0")
    assert not third.changed, third.to_dict()
    assert snapshot(ws) == before
    assert read_manifest(ws)[0].files == manifest_before
    assert not list(ws.glob("01_a.course-v0.2.0-2.ipynb"))


def test_deleted_files_are_restored(course):
    v1, v2, ws = course
    sync(ws, v1, "0.1.0")
    (ws / "03_c.ipynb").unlink()
    (ws / "data/agile/sprints.csv").unlink()
    report = sync(ws, v1, "0.1.0")
    assert sorted(report.restored) == ["03_c.ipynb", "data/agile/sprints.csv"]
    assert (ws / "03_c.ipynb").read_bytes() == v1["03_c.ipynb"].read_bytes()
    (ws / "03_c.ipynb").unlink()
    report = sync(ws, v2, "0.2.0")
    assert "03_c.ipynb" in report.restored
    assert (ws / "03_c.ipynb").read_bytes() == v2["03_c.ipynb"].read_bytes()


def test_learner_edit_of_unchanged_course_file_is_silent(course):
    v1, _, ws = course
    sync(ws, v1, "0.1.0")
    (ws / "01_a.ipynb").write_text(nb("edited"), encoding="utf-8")
    report = sync(ws, v1, "0.1.0")
    assert not report.changed
    assert (ws / "01_a.ipynb").read_text(encoding="utf-8") == nb("edited")
    assert not list(ws.glob("01_a.course-*"))


@pytest.mark.parametrize(
    "garbage",
    [b"{not json", b"[]", b'{"files": {"01_a.ipynb": 3}}', b"\xff\xfe", b""],
    ids=["syntax", "list", "bad-entry", "binary", "empty"],
)
def test_corrupt_manifest_keeps_learner_files(course, garbage):
    v1, v2, ws = course
    sync(ws, v1, "0.1.0")
    (ws / "01_a.ipynb").write_text(nb("mine"), encoding="utf-8")
    (ws / STATE_DIR / MANIFEST).write_bytes(garbage)
    report = sync(ws, v2, "0.2.0")
    assert any("manifest was unreadable" in w for w in report.warnings)
    assert "warning: the workspace manifest was unreadable" in "\n".join(report.lines())
    assert list((ws / STATE_DIR).glob(f"{MANIFEST}.corrupt-*"))
    # Without a manifest nothing that differs from the course is overwritten ...
    assert (ws / "01_a.ipynb").read_text(encoding="utf-8") == nb("mine")
    assert ("01_a.ipynb", "01_a.course-v0.2.0.ipynb") in report.kept
    # ... and a fresh, valid manifest is written, so the next sync is quiet.
    assert read_manifest(ws)[1] is None
    assert not sync(ws, v2, "0.2.0").changed


def test_beside_name_collision_never_overwrites(course):
    v1, v2, ws = course
    sync(ws, v1, "0.1.0")
    (ws / "01_a.ipynb").write_text(nb("mine"), encoding="utf-8")
    (ws / "01_a.course-v0.2.0.ipynb").write_text(nb("also mine"), encoding="utf-8")
    report = sync(ws, v2, "0.2.0")
    assert report.kept == [("01_a.ipynb", "01_a.course-v0.2.0-2.ipynb")]
    assert (ws / "01_a.course-v0.2.0.ipynb").read_text(encoding="utf-8") == nb("also mine")
    assert (ws / "01_a.course-v0.2.0-2.ipynb").read_bytes() == v2["01_a.ipynb"].read_bytes()


def test_directory_where_a_course_file_goes_is_kept(course):
    v1, _, ws = course
    (ws / "03_c.ipynb").mkdir(parents=True)
    (ws / "03_c.ipynb" / "inside.txt").write_text("keep")
    report = sync(ws, v1, "0.1.0")
    assert ("03_c.ipynb", "03_c.course-v0.1.0.ipynb") in report.kept
    assert (ws / "03_c.ipynb" / "inside.txt").read_text() == "keep"


def test_existing_identical_files_are_adopted(course):
    """A workspace made by hand (or an old copy) with the same files: nothing to do."""
    v1, _, ws = course
    for rel, src in v1.items():
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_bytes(src.read_bytes())
    report = sync(ws, v1, "0.1.0")
    assert not report.changed and report.unchanged == len(v1)


def test_retired_file_reported_once_and_never_deleted(course):
    v1, v2, ws = course
    sync(ws, v1, "0.1.0")
    assert sync(ws, v2, "0.2.0").retired == ["04_gone.ipynb"]
    assert (ws / "04_gone.ipynb").exists()
    assert sync(ws, v2, "0.2.0").retired == []
    assert (ws / "04_gone.ipynb").exists()


def test_beside_name():
    assert (
        beside_name("05_planning_and_scheduling.ipynb", "0.2.0")
        == "05_planning_and_scheduling.course-v0.2.0.ipynb"
    )
    assert beside_name("data/plan.csv", "1.0", 3) == "data/plan.course-v1.0-3.csv"
    assert beside_name("README", "1.0") == "README.course-v1.0"


def test_content_hash_ignores_outputs_but_not_sources():
    plain = nb("a = 1").encode()
    ran = nb("a = 1", outputs=True).encode()
    edited = nb("a = 2").encode()
    assert content_hash("x.ipynb", plain) == content_hash("x.ipynb", ran)
    assert content_hash("x.ipynb", plain) != content_hash("x.ipynb", edited)
    assert content_hash("x.ipynb", b"{broken").startswith("raw:")
    assert content_hash("x.csv", b"a") != content_hash("x.csv", b"b")


# --------------------------------------------------------------------------- atomicity, errors


def test_atomic_write_failure_leaves_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "f.txt"
    target.write_text("old")

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(wsmod.os, "replace", full)
    with pytest.raises(WorkspaceError, match="no space left"):
        atomic_write(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_atomic_write_interrupted_mid_write(tmp_path, monkeypatch):
    target = tmp_path / "f.txt"
    target.write_text("old")
    real_fdopen = os.fdopen

    class Boom:
        def __init__(self, fd, mode):
            self.handle = real_fdopen(fd, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[:1])
            raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(wsmod.os, "fdopen", Boom)
    with pytest.raises(WorkspaceError, match="I/O error"):
        atomic_write(target, b"new content")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_disk_full_mid_sync_then_resume(course, monkeypatch):
    """A sync stopped half-way (disk full) leaves every file whole; the next one finishes."""
    v1, v2, ws = course
    sync(ws, v1, "0.1.0")
    (ws / "01_a.ipynb").write_text(nb("mine"), encoding="utf-8")
    learner = (ws / "01_a.ipynb").read_bytes()
    real_replace = os.replace
    calls = {"n": 0}

    def flaky(src, dst):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(wsmod.os, "replace", flaky)
    with pytest.raises(WorkspaceError, match="no space left"):
        sync(ws, v2, "0.2.0")
    monkeypatch.setattr(wsmod.os, "replace", real_replace)
    for path in ws.rglob("*"):
        assert not path.name.endswith(".tmp"), path
        if path.is_file() and STATE_DIR not in path.parts:
            rel = path.relative_to(ws).as_posix()
            data = path.read_bytes()
            allowed = {
                v1[rel].read_bytes() if rel in v1 else None,
                v2[rel].read_bytes() if rel in v2 else None,
            }
            if rel == "01_a.ipynb":
                allowed = {learner}
            if rel != "01_a.course-v0.2.0.ipynb":
                assert data in allowed, rel
    report = sync(ws, v2, "0.2.0")
    assert (ws / "01_a.ipynb").read_bytes() == learner
    for rel in ("02_b.ipynb", "03_c.ipynb", "05_new.ipynb", "assignments/a2/a2.ipynb"):
        assert (ws / rel).read_bytes() == v2[rel].read_bytes()
    assert (ws / "01_a.course-v0.2.0.ipynb").read_bytes() == v2["01_a.ipynb"].read_bytes()
    assert not sync(ws, v2, "0.2.0").changed
    assert report.warnings == []


def test_workspace_that_is_a_file(course):
    v1, _, ws = course
    ws.write_text("I am a file")
    with pytest.raises(WorkspaceError, match="is a file, not a directory"):
        sync(ws, v1, "0.1.0")
    assert ws.read_text() == "I am a file"


def test_permission_denied_is_explained(course, monkeypatch):
    v1, _, ws = course

    def denied(*_a, **_k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(wsmod.tempfile, "mkstemp", denied)
    with pytest.raises(WorkspaceError, match="permission denied writing"):
        sync(ws, v1, "0.1.0")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores file permissions"
)
def test_read_only_workspace_for_real(course):
    v1, _, ws = course
    ws.mkdir()
    ws.chmod(0o555)
    try:
        with pytest.raises(WorkspaceError, match="permission denied"):
            sync(ws, v1, "0.1.0")
    finally:
        ws.chmod(0o755)


def test_read_only_file_system_message():
    msg = wsmod._explain(OSError(errno.EROFS, "Read-only file system"), Path("/x/y"))
    assert "read-only file system" in msg


def test_refuses_the_course_sources_as_workspace(tmp_path):
    files = make_course(tmp_path / "src", V1)
    with pytest.raises(WorkspaceError, match="course's own files"):
        sync(tmp_path / "src" / "notebooks", files, "0.1.0")
    with pytest.raises(WorkspaceError, match="course's own files"):
        sync(Path(wsmod.__file__).resolve().parent.parent, files, "0.1.0")


def test_find_workspace_from_env_and_subdirectory(course, monkeypatch, tmp_path):
    v1, _, ws = course
    sync(ws, v1, "0.1.0")
    monkeypatch.delenv("ITPM_COURSE_WORKSPACE", raising=False)
    monkeypatch.chdir(ws / "assignments" / "a1")
    assert find_workspace() == ws.resolve()
    monkeypatch.chdir(tmp_path)
    assert find_workspace() is None
    monkeypatch.setenv("ITPM_COURSE_WORKSPACE", str(ws))
    assert find_workspace() == ws.resolve()


def test_default_course_files_cover_notebooks_and_data():
    files = course_files()
    assert "00_start_here.ipynb" in files
    assert "data/server_migration.csv" in files
    assert not any(rel.endswith(".py") for rel in files)
    assert not any(".ipynb_checkpoints" in rel for rel in files)


def test_cli_error_is_one_line_without_traceback(tmp_path):
    target = tmp_path / "afile"
    target.write_text("x")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "itpm_course.cli",
            "start",
            "--workspace",
            str(target),
            "--sync-only",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "is a file, not a directory" in proc.stderr
