"""Several learners, each in their own home, through nbgrader's exchange and back."""

from __future__ import annotations

import pytest
from instructor_helpers import ANSWERS, EXPECTED, FIXTURE_SOLUTIONS, fill, grade_table

from itpm_course.cli import main
from itpm_course.instructor.course import open_course

LEARNERS = {"amara": "right", "bo": "q2_wrong", "chen": "blank"}


def _student_app(kind: str, home, exchange, course_id: str, monkeypatch):
    """nbgrader's exchange app ``kind`` as the learner living in ``home``."""
    import nbgrader.utils  # noqa: PLC0415
    from nbgrader.auth import Authenticator  # noqa: PLC0415
    from nbgrader.coursedir import CourseDirectory  # noqa: PLC0415
    from nbgrader.exchange import default  # noqa: PLC0415
    from traitlets.config import Config  # noqa: PLC0415

    # As in a z2jh pod: every learner's OS user is jovyan; nbgrader then takes the hub user.
    monkeypatch.setattr(nbgrader.utils, "get_osusername", lambda: "jovyan")
    monkeypatch.setenv("JUPYTERHUB_USER", home.name)
    monkeypatch.setenv("HOME", str(home))
    cfg = Config()
    cfg.CourseDirectory.root = str(home)
    cfg.CourseDirectory.course_id = course_id
    cfg.CourseDirectory.assignment_id = "mini"
    cfg.Exchange.root = str(exchange)
    cfg.Exchange.path_includes_course = True
    cfg.Exchange.assignment_dir = str(home)  # where a learner's assignments live
    coursedir = CourseDirectory(config=cfg)
    app = getattr(default, kind)(
        coursedir=coursedir, authenticator=Authenticator(config=cfg), config=cfg
    )
    return app


@pytest.mark.slow
def test_release_fetch_submit_collect_grade_feedback_fetch_feedback(tmp_path, monkeypatch):
    import nbformat  # noqa: PLC0415

    root, exchange = tmp_path / "course", tmp_path / "exchange"
    assert main(["instructor", "init", str(root), "--course-id", "team-course",
                 "--exchange", str(exchange), "--solutions", str(FIXTURE_SOLUTIONS)]) == 0  # fmt: skip
    assert main(["instructor", "release", "mini", "--course", str(root)]) == 0

    homes = {}
    for learner, kind in LEARNERS.items():
        home = tmp_path / "home" / learner
        home.mkdir(parents=True)
        homes[learner] = home
        with monkeypatch.context() as m:
            _student_app("ExchangeFetchAssignment", home, exchange, "team-course", m).start()
            nb_path = home / "team-course" / "mini" / "mini.ipynb"
            assert nb_path.is_file(), f"{learner} fetched nothing"
            nb = nbformat.read(nb_path, as_version=4)
            assert "BEGIN SOLUTION" not in nb_path.read_text()  # the student version
            nbformat.write(fill(nb, ANSWERS[kind]), nb_path)
            m.chdir(home / "team-course")
            _student_app("ExchangeSubmit", home, exchange, "team-course", m).start()

    course = ["--course", str(root)]
    assert main(["instructor", "collect", "mini", *course]) == 0
    assert sorted(p.name for p in (root / "submitted").iterdir()) == sorted(LEARNERS)
    assert main(["instructor", "grade", "mini", "--workers", "2", "--no-progress", *course]) == 0
    assert main(["instructor", "feedback", "mini", *course]) == 0

    totals: dict[str, float] = {}
    for student, *_rest, score in grade_table(open_course(root)):
        totals[student] = totals.get(student, 0.0) + score
    assert totals == {s: EXPECTED[k] for s, k in LEARNERS.items()}

    for learner, home in homes.items():
        with monkeypatch.context() as m:
            m.chdir(home / "team-course")
            _student_app("ExchangeFetchFeedback", home, exchange, "team-course", m).start()
        got = list((home / "team-course" / "mini" / "feedback").glob("*/mini.html"))
        assert len(got) == 1, f"{learner} got no feedback"
        html = got[0].read_text()
        score = EXPECTED[LEARNERS[learner]]
        assert f"Score: {score:g}" in html or f"{score:.1f} / 6.0" in html or f"{score} / 6" in html
        assert "add(-1, 1)" not in html  # no hidden tests in feedback
        # Nobody else's feedback reached this home.
        others = set(LEARNERS) - {learner}
        assert not any(o in str(p) for o in others for p in (home.rglob("*")))
