"""The course map stays in step with the notebooks that exist."""

from pathlib import Path

from itpm_course.course import COURSE, course_map, notebooks_dir

ROOT = Path(__file__).resolve().parents[1]


def test_every_notebook_is_on_the_map():
    on_map = {lesson.filename for lesson in COURSE}
    present = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert present <= on_map, (
        f"notebooks missing from itpm_course/course.py: {sorted(present - on_map)}"
    )


def test_map_is_numbered_00_to_14_in_order():
    assert [lesson.number for lesson in COURSE] == list(range(15))
    assert len({lesson.slug for lesson in COURSE}) == 15


def test_status_reflects_files(tmp_path):
    (tmp_path / "05_planning_and_scheduling.ipynb").write_text("{}")
    table = course_map(tmp_path)
    assert table.loc["05", "status"] == "available"
    assert table.loc["06", "status"] == "coming soon"


def test_clone_notebooks_are_found():
    assert notebooks_dir() == ROOT / "notebooks"
    assert course_map().loc["00", "status"] == "available"


def test_readme_course_map_matches():
    text = (ROOT / "README.md").read_text()
    block = text.split("<!-- course-map")[1].split("<!-- /course-map -->")[0]
    rows = [line for line in block.splitlines() if line.startswith("| ") and line[2:4].isdigit()]
    expected = [
        f"| {lesson.number:02d} | `{lesson.filename[:-6]}` | {lesson.teaches} |"
        for lesson in COURSE
    ]
    assert rows == expected
