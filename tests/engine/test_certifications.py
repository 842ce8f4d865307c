"""Certification eligibility: published-rule boundaries, date-range unions, CAPM substitute."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_course.engine.certifications import (
    CertProfile,
    certification_ids,
    certification_path,
    certification_report,
    check_eligibility,
    experience_months,
    merge_date_ranges,
    recommend_certifications,
    roadmap_by_stage,
    stage_certifications,
)

AS_OF = date(2026, 11, 26)


def pmp(**kw):
    return check_eligibility("pmp", CertProfile(as_of=AS_OF, **kw))


# --- PMP boundaries ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("education", "months", "ok"),
    [
        ("bachelor", 36, True),
        ("bachelor", 35.9, False),
        ("master", 36, True),
        ("doctorate", 36, True),
        ("secondary", 59, False),
        ("secondary", 60, True),
        ("associate", 36, False),
        ("associate", 60, True),
    ],
)
def test_pmp_experience_boundaries(education, months, ok):
    assert pmp(education=education, pm_experience=months, pm_training_hours=35).eligible is ok


def test_pmp_gac_path_needs_24_months():
    assert pmp(
        education="bachelor", gac_accredited=True, pm_experience=24, pm_training_hours=35
    ).eligible
    assert not pmp(
        education="bachelor", gac_accredited=True, pm_experience=23, pm_training_hours=35
    ).eligible


def test_pmp_missing_message_names_what_is_missing():
    res = pmp(education="bachelor", pm_experience=30, pm_training_hours=35)
    assert res.missing == (
        "PMP needs 36 months leading projects in the last 8 years with a four-year degree; you have 30",
    )


def test_pmp_35_hours_boundary_and_capm_substitute():
    assert pmp(education="bachelor", pm_experience=36, pm_training_hours=35).eligible
    res = pmp(education="bachelor", pm_experience=36, pm_training_hours=34)
    assert not res.eligible
    assert "35 contact hours" in res.missing[0] and "CAPM" in res.missing[0]
    sub = pmp(education="bachelor", pm_experience=36, pm_training_hours=0, active_certs={"capm"})
    assert sub.eligible
    assert any("CAPM replaces" in m for m in sub.met)


def test_no_degree_cannot_sit_pmi_exams():
    res = pmp(education="none", pm_experience=100, pm_training_hours=40)
    assert not res.eligible and "secondary" in res.missing[0]


# --- date ranges -------------------------------------------------------------------------------


def test_overlapping_ranges_count_once():
    ranges = [("2020-01-01", "2021-12-31"), ("2021-06-01", "2022-12-31")]
    assert experience_months(ranges, 8, AS_OF) == 36.0
    assert pmp(education="bachelor", pm_experience=ranges, pm_training_hours=35).eligible


def test_parallel_projects_in_same_months_count_once():
    ranges = [
        ("2022-01-01", "2023-06-30"),
        ("2022-01-01", "2023-06-30"),
        ("2022-03-01", "2022-04-30"),
    ]
    assert experience_months(ranges, 8, AS_OF) == 18.0


def test_adjacent_ranges_merge():
    assert merge_date_ranges([("2020-01-01", "2020-01-31"), ("2020-02-01", "2020-02-29")]) == [
        (date(2020, 1, 1), date(2020, 2, 29))
    ]


def test_window_boundary_8_years():
    # window is (as_of - 8 years, as_of]: 2018-11-27 .. 2026-11-26
    just_inside = [("2018-11-27", "2018-11-30")]
    just_outside = [("2018-11-01", "2018-11-26")]
    assert experience_months(just_inside, 8, AS_OF) == pytest.approx(4 / 30, abs=1e-6)
    assert experience_months(just_outside, 8, AS_OF) == 0.0
    # a project straddling the window start only counts from inside it
    straddle = [("2017-01-01", "2019-11-26")]
    assert experience_months(straddle, 8, AS_OF) == pytest.approx(4 / 30 + 11 + 26 / 30, abs=1e-6)


def test_full_window_is_exactly_window_months():
    assert experience_months([("2000-01-01", "2026-11-26")], 8, AS_OF) == 96.0
    assert experience_months([("2000-01-01", "2026-11-26")], 5, AS_OF) == 60.0


def test_future_part_of_a_range_does_not_count():
    assert experience_months([("2026-11-01", "2027-12-31")], 8, AS_OF) == pytest.approx(
        26 / 30, abs=1e-6
    )


def test_old_experience_outside_window_makes_pmp_ineligible():
    old = [("2010-01-01", "2017-12-31")]
    res = pmp(education="bachelor", pm_experience=old, pm_training_hours=35)
    assert not res.eligible and "you have 0" in res.missing[0]


def test_pgmp_uses_15_year_window_and_pmp_substitute():
    prof = dict(education="bachelor", program_experience=48, as_of=AS_OF)
    assert check_eligibility("pgmp", CertProfile(pm_experience=48, **prof)).eligible
    assert not check_eligibility("pgmp", CertProfile(pm_experience=47, **prof)).eligible
    assert check_eligibility("pgmp", CertProfile(active_certs={"pmp"}, **prof)).eligible
    sec = CertProfile(education="secondary", pm_experience=48, program_experience=83, as_of=AS_OF)
    res = check_eligibility("pgmp", sec)
    assert not res.eligible and "84 months of program-management" in res.missing[0]


def test_acp_window_and_training():
    ok = CertProfile(agile_experience=24, agile_training_hours=28, as_of=AS_OF)
    assert check_eligibility("pmi-acp", ok).eligible
    res = check_eligibility("pmi-acp", CertProfile(agile_experience=24, agile_training_hours=27))
    assert not res.eligible and "28 hours of agile training" in res.missing[0]
    assert experience_months(200, 5) == 60.0  # months as a number are capped at the window


def test_course_and_no_prerequisite_certs():
    assert not check_eligibility("csm", CertProfile()).eligible
    assert check_eligibility("csm", CertProfile(completed_courses={"csm-course"})).eligible
    for cid in (
        "psm-i",
        "prince2-foundation",
        "itil4-foundation",
        "comptia-project-plus",
        "google-pm",
    ):
        assert check_eligibility(cid, CertProfile(education="none")).eligible, cid
    assert not check_eligibility("safe-agilist", CertProfile()).eligible


def test_prince2_practitioner_needs_a_prerequisite_and_notes_the_conflict():
    res = check_eligibility("prince2-practitioner", CertProfile())
    assert not res.eligible and "PRINCE2 Foundation" in res.missing[0]
    assert any("no longer required" in n for n in res.notes)
    assert check_eligibility(
        "prince2-practitioner", CertProfile(active_certs={"prince2-foundation"})
    ).eligible


def test_capm_23_hours_boundary():
    assert check_eligibility("capm", CertProfile(pm_training_hours=23)).eligible
    assert not check_eligibility("capm", CertProfile(pm_training_hours=22.5)).eligible


# --- report, recommender, roadmap --------------------------------------------------------------


def test_report_shape_and_every_not_yet_names_what_is_missing():
    report = certification_report(
        CertProfile(education="bachelor", pm_experience=18, goals=("traditional",), as_of=AS_OF)
    )
    assert set(report) == {"eligible", "not_yet", "recommended_path"}
    assert {e["id"] for e in report["eligible"]} | {n["id"] for n in report["not_yet"]} == set(
        certification_ids()
    )
    assert all(n["missing"] for n in report["not_yet"])
    path = [(s["id"], s["when_months"]) for s in report["recommended_path"]]
    ids = [p[0] for p in path]
    assert ids.index("capm") < ids.index("pmp")
    assert dict(path)["pmp"] == 18


def test_recommender_follows_goals_and_skips_held():
    agile = recommend_certifications(
        CertProfile(goals=("agile",), agile_role="scrum-master", active_certs={"psm-i"})
    )
    assert agile[0].id == "csm" and "psm-i" not in [r.id for r in agile]
    assert agile[0].reasons
    itsm = recommend_certifications(CertProfile(goals=("itsm",)))
    assert itsm[0].id == "itil4-foundation"
    gov = recommend_certifications(CertProfile(goals=("government",)))
    assert gov[0].id == "prince2-foundation"


def test_capm_demoted_once_pmp_is_possible():
    recs = recommend_certifications(
        CertProfile(
            education="bachelor", pm_experience=40, pm_training_hours=35, goals=("traditional",)
        )
    )
    ids = [r.id for r in recs]
    assert ids[0] == "pmp" and ids.index("capm") > 3


def test_path_puts_prerequisite_first():
    path = certification_path(
        CertProfile(
            education="master", pm_experience=100, pm_training_hours=40, goals=("government",)
        )
    )
    ids = [s.id for s in path]
    assert ids.index("prince2-foundation") < ids.index("prince2-practitioner")
    when = {s.id: s.when_months for s in path}
    assert when["prince2-practitioner"] > when["prince2-foundation"]


def test_roadmap_by_stage():
    assert roadmap_by_stage()["senior"] == ["pgmp"]
    assert "capm" in stage_certifications("foundation")


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"education": "phd"}, "education: must be one of"),
        ({"pm_experience": -1}, "pm_experience: months must be a finite number >= 0"),
        (
            {"pm_experience": [("2024-01-01", "2023-01-01")]},
            "pm_experience: range 1 starts after it ends",
        ),
        (
            {"pm_experience": [("2024-13-01", "2025-01-01")]},
            "pm_experience: range 1 has '2024-13-01'",
        ),
        ({"pm_experience": "36"}, "pm_experience: expected months or a list"),
        ({"pm_training_hours": -5}, "pm_training_hours: must be a finite number of hours"),
        ({"goals": ("fast",)}, "goals: unknown goal 'fast'"),
        ({"active_certs": {"mba"}}, "active_certs: unknown certification 'mba'"),
        ({"completed_courses": {"bootcamp"}}, "completed_courses: unknown course 'bootcamp'"),
        ({"agile_role": "wizard"}, "agile_role: must be one of"),
        ({"education": "secondary", "gac_accredited": True}, "gac_accredited: only a bachelor"),
    ],
)
def test_bad_profile_errors_name_the_field(kwargs, message):
    with pytest.raises(ValueError, match=message):
        CertProfile(**kwargs)


def test_unknown_cert_and_stage_errors():
    with pytest.raises(ValueError, match="cert_id: unknown certification"):
        check_eligibility("pmpp", CertProfile())
    with pytest.raises(ValueError, match="stage: must be one of"):
        stage_certifications("guru")
    with pytest.raises(ValueError, match="profile: expected a CertProfile"):
        check_eligibility("pmp", {"education": "bachelor"})


# --- properties --------------------------------------------------------------------------------

day = st.dates(min_value=date(2000, 1, 1), max_value=date(2027, 12, 31))
ranges = st.lists(st.tuples(day, day).map(lambda p: (min(p), max(p))), max_size=6)


@settings(max_examples=150, deadline=None)
@given(ranges=ranges, window=st.sampled_from([5, 8, 15]), as_of=day)
def test_union_never_exceeds_window_or_plain_sum(ranges, window, as_of):
    months = experience_months(ranges, window, as_of)
    assert 0.0 <= months <= window * 12
    plain = sum(experience_months([r], window, as_of) for r in ranges)
    assert months <= plain + 1e-5  # each value is rounded to 6 decimals


@settings(max_examples=150, deadline=None)
@given(ranges=ranges, extra=st.tuples(day, day).map(lambda p: (min(p), max(p))), as_of=day)
def test_adding_a_range_never_lowers_months(ranges, extra, as_of):
    assert (
        experience_months([*ranges, extra], 8, as_of) >= experience_months(ranges, 8, as_of) - 1e-5
    )


@settings(max_examples=200, deadline=None)
@given(
    education=st.sampled_from(
        ["none", "secondary", "associate", "bachelor", "master", "doctorate"]
    ),
    months=st.floats(0, 200),
    more=st.floats(0, 100),
    hours=st.floats(0, 60),
    more_hours=st.floats(0, 60),
    cert=st.sampled_from(["pmp", "capm", "pmi-acp", "pgmp"]),
)
def test_more_experience_or_training_never_makes_ineligible(
    education, months, more, hours, more_hours, cert
):
    def profile(m, h):
        return CertProfile(
            education=education,
            pm_experience=m,
            agile_experience=m,
            program_experience=m,
            pm_training_hours=h,
            agile_training_hours=h,
        )

    before = check_eligibility(cert, profile(months, hours))
    after = check_eligibility(cert, profile(months + more, hours + more_hours))
    assert after.eligible or not before.eligible
    assert before.eligible or before.missing  # every "not yet" says why


def test_ongoing_window_respects_leap_day():
    as_of = date(2028, 2, 29)
    start = as_of - timedelta(days=20 * 365)
    assert experience_months([(start, as_of)], 5, as_of) == 60.0
