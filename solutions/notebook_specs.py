"""The content of each assignment notebook, written with the helpers of ``build_notebooks``.

Each function adds the cells of one assignment. Answer cells hold the reference solution inside
``### BEGIN SOLUTION`` / ``### END SOLUTION``; test cells hold visible checks that teach and a
hidden call into :mod:`itpm_course.grading`, never an expected answer.
"""

from __future__ import annotations

from pathlib import Path

HOW_TO = """
**How this assignment works.** Write your answer where a cell says `YOUR CODE HERE` (delete the
`raise NotImplementedError()` line), then run the test cell below it. The visible checks catch
the usual slips; hidden tests grade the values when you hand in, with partial credit where an
answer is partly right. Do not edit or delete the locked test cells: they are restored before
grading. Run *Kernel → Restart & Run All* before you submit.
"""


# The capstone's reference plan (full marks) is a test fixture, not package data: learners
# install the package, so it must not ship. The solution cell carries it inline, inside the
# SOLUTION region that nbgrader strips from the release.
CAPSTONE_PLAN = Path(__file__).resolve().parents[1] / "tests/fixtures/plans/capstone_crm_cloud.yaml"


def _reference_plan_cell() -> str:
    """The capstone plan answer: the reference plan's YAML (without its header comment)."""
    lines = CAPSTONE_PLAN.read_text(encoding="utf-8").splitlines()
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    body = "\n".join(line.rstrip() for line in lines).strip("\n")
    if '"""' in body or "\\" in body:
        raise ValueError(f"{CAPSTONE_PLAN}: cannot be inlined in a plain triple-quoted string")
    return (
        "import yaml\n\n"
        "# The reference plan; yours is a YAML file such as my_crm_plan.yaml, read with load_plan.\n"
        f'PLAN_YAML = """\n{body}\n"""\n'
        "plan = ProjectPlan.from_dict(yaml.safe_load(PLAN_YAML))"
    )


# ------------------------------------------------------------------------------------ career
def career(nb) -> None:
    nb.md(
        """
        # Assignment 1 — Career and certification plan

        You coach **Jordan Lee**, who wants to grow into IT project management. You will place
        Jordan on the course's career model, work out which certifications Jordan can sit now,
        pick the two or three that fit best, and write a short development plan.

        About 2–3 hours. Notebooks 02 (career path) and 10 (certifications) cover the ideas.
        """
        + HOW_TO
    )
    nb.md(
        """
        ## The case

        > Jordan has worked in IT for **5 years**: three on the service desk, then two as a
        > systems administrator. For the last **18 months** Jordan has been a
        > **Project Coordinator** on infrastructure projects — the only time spent in a project
        > role. Jordan holds a **bachelor's degree** in business IT and finished a **35-hour**
        > online project-management course last spring. Jordan holds no certification yet and
        > wants to work in **traditional** (plan-driven) project management, staying close to
        > **IT service management**. Jordan has no agile role.
        """
    )
    nb.code(
        """
        from itpm_course.engine.career import BACKGROUNDS, CareerProfile, classify_stage
        from itpm_course.engine.certifications import (
            EDUCATION_LEVELS,
            GOALS,
            CertProfile,
            certification_ids,
            check_eligibility,
            recommend_certifications,
        )

        print("backgrounds:", BACKGROUNDS)
        print("education levels:", EDUCATION_LEVELS)
        print("goals:", GOALS)
        print("certifications:", certification_ids())
        """
    )
    nb.md(
        """
        ## Q1 — Jordan's career profile (3 points)

        Build `jordan` as a `CareerProfile` with Jordan's years in IT, years in a project role,
        current title and background. Years are decimal (18 months = 1.5 years).
        """
    )
    nb.answer(
        "q1_answer",
        "",
        """
        jordan = CareerProfile(
            years_it=5, years_pm=1.5, current_title="Project Coordinator", background="it"
        )
        """,
    )
    nb.test(
        "q1_test",
        "career.profile",
        3,
        """
        assert isinstance(jordan, CareerProfile), "build jordan with CareerProfile(...)"
        assert jordan.years_pm <= jordan.years_it, "years in PM roles are part of the years in IT"
        assert jordan.background in BACKGROUNDS, f"background is one of {BACKGROUNDS}"
        print("jordan looks like a profile; the hidden tests check the facts.")
        """,
        "jordan",
    )
    nb.md(
        """
        ## Q2 — Jordan's career stage (2 points)

        Use `classify_stage` and set `jordan_stage` to the stage **id** it gives (one of
        `'foundation'`, `'entry'`, `'mid'`, `'senior'`). Print the reasons and read them: which
        fact decides Jordan's stage?
        """
    )
    nb.answer(
        "q2_answer",
        "",
        """
        assessment = classify_stage(jordan)
        for reason in assessment.reasons:
            print("-", reason)
        jordan_stage = assessment.stage
        """,
    )
    nb.test(
        "q2_test",
        "career.stage",
        2,
        """
        assert jordan_stage in ("foundation", "entry", "mid", "senior"), "give the stage id"
        """,
        "jordan_stage",
    )
    nb.md(
        """
        ## Q3 — The certification profile (3 points)

        Certification rules count *months* of experience and *hours* of training. Build
        `jordan_certs` as a `CertProfile`: education, months leading projects
        (`pm_experience`), PM training hours and Jordan's two goals (from `GOALS`).
        """
    )
    nb.answer(
        "q3_answer",
        "",
        """
        jordan_certs = CertProfile(
            education="bachelor",
            pm_experience=18,
            pm_training_hours=35,
            goals=("traditional", "itsm"),
        )
        """,
    )
    nb.test(
        "q3_test",
        "career.cert_profile",
        3,
        """
        assert isinstance(jordan_certs, CertProfile), "build jordan_certs with CertProfile(...)"
        assert jordan_certs.education in EDUCATION_LEVELS
        assert set(jordan_certs.goals) <= set(GOALS), f"goals come from {GOALS}"
        """,
        "jordan_certs",
    )
    nb.md(
        """
        ## Q4 — What can Jordan sit today? (4 points)

        Check every certification with `check_eligibility(cert_id, jordan_certs)` and set
        `eligible_now` to the **set of ids** Jordan is eligible for now. For one that is not,
        print what is `missing` — you will need it in Q6.
        """
    )
    nb.answer(
        "q4_answer",
        "",
        """
        eligible_now = set()
        for cid in certification_ids():
            result = check_eligibility(cid, jordan_certs)
            if result.eligible:
                eligible_now.add(cid)
            else:
                print(cid, "->", "; ".join(result.missing))
        """,
    )
    nb.test(
        "q4_test",
        "career.eligible_now",
        4,
        """
        assert isinstance(eligible_now, set | frozenset | list), "a set of certification ids"
        unknown = set(eligible_now) - set(certification_ids())
        assert not unknown, f"not certification ids: {unknown}"
        assert "pgmp" not in eligible_now, "PgMP needs years of programme management: read `missing`"
        """,
        "sorted(eligible_now)",
    )
    nb.md(
        """
        ## Q5 — Pick two or three certifications (4 points)

        `recommend_certifications(jordan_certs)` ranks the catalogue with reasons. Do not copy
        the top of the list blindly: choose **2 or 3** certifications for Jordan's next two
        years and set `picks` to a dict `{cert_id: reason}`. Each reason is a sentence of at
        least 12 words in your own words: the goal it serves, the stage, and when Jordan can sit
        it.
        """
    )
    nb.answer(
        "q5_answer",
        """
        for rec in recommend_certifications(jordan_certs, limit=6):
            print(f"{rec.id:22} {rec.score:4.1f}  {'; '.join(rec.reasons)}")
        """,
        """
        picks = {
            "comptia-project-plus": (
                "Jordan can sit it now, it suits the entry stage and it is built for "
                "traditional project management, so it is the quick first win."
            ),
            "itil4-foundation": (
                "It keeps Jordan close to IT service management, the second goal, and Jordan "
                "can book the exam straight away."
            ),
            "pmp": (
                "The most recognised project management certification and the next milestone: "
                "Jordan meets the 35 training hours and reaches 36 months of project work in "
                "about 18 months."
            ),
        }
        """,
    )
    nb.test(
        "q5_test",
        "career.picks",
        4,
        """
        assert isinstance(picks, dict), "picks is a dict {cert_id: reason}"
        assert 2 <= len(picks) <= 3, "choose 2 or 3: a plan needs focus"
        for cid, why in picks.items():
            assert cid in certification_ids(), f"{cid!r} is not a certification id"
            assert len(str(why).split()) >= 12, f"the reason for {cid} needs at least 12 words"
        """,
        "picks",
    )
    nb.md(
        """
        ## Q6 — Jordan's development plan (5 points, graded by hand)

        In **150–250 words**, write Jordan a development plan for the next 24 months.

        **Rubric** (what the grader looks for):

        | points | criterion |
        |---|---|
        | 1 | Names Jordan's stage and why (what decides it), using the model's reasons |
        | 1 | Sequences the chosen certifications in time, with what unlocks each one (months, prerequisites) |
        | 1 | Names two or three skills to build for the next stage and how (on-the-job, not only courses) |
        | 1 | Is concrete: dated steps, a measure of progress, a first action for next week |
        | 1 | Is written for Jordan: clear, encouraging, no jargon without explanation |
        """
    )
    nb.manual(
        "q6_written",
        5,
        """
        *Reference answer (one of many good ones).* Jordan, the model places you at
        **Entry-Level PM**: five years in IT point to mid-level, but only 18 months in a project
        role, and the lower figure counts. Your next stage is Mid-Level PM, typically after
        2–4 years in project roles. **Months 0–3:** sit CompTIA Project+ (you are eligible now)
        to consolidate the basics, then ITIL 4 Foundation, which keeps you close to service
        management. **Months 3–18:** lead, not just coordinate: ask to own the schedule and the
        risk register of your next infrastructure project, run its status meetings and report
        earned value monthly. **Month 18:** you will reach 36 months leading projects, and your
        35 training hours already count, so book the PMP exam and start a study group then.
        Skills to build on the way: stakeholder management (run the steering meeting once a
        quarter), budgeting (own one project's cost forecast), and negotiation with vendors.
        Measure progress every quarter against this plan with your manager. **First action next
        week:** book the Project+ exam date and tell your manager you want to own the next
        project's plan.
        """,
    )


# -------------------------------------------------------------------------------- scheduling
def scheduling(nb) -> None:
    nb.md(
        """
        # Assignment 2 — Scheduling a service desk tool rollout

        You plan the rollout of a new IT service management tool for a 40-agent service desk.
        You will turn the case into a plan, compute the critical path, read float, decide what
        to shorten to go live earlier, and finish the plan so that it passes a schedule-quality
        review.

        About 3 hours. Notebook 05 (planning and scheduling) covers the ideas.
        """
        + HOW_TO
    )
    nb.md(
        """
        ## The case

        The project starts on **Monday 7 September 2026** and must close by **Friday 6 November
        2026**. Durations are in working days; every dependency is finish-to-start without lag.

        | id | activity | days | after |
        |---|---|---|---|
        | START | Project approved (milestone) | 0 | — |
        | REQ | Requirements workshops | 5 | START |
        | VENDOR | Select the tool vendor | 8 | REQ |
        | DESIGN | Design incident and request processes | 6 | REQ |
        | CONFIG | Configure the tool | 10 | VENDOR, DESIGN |
        | DATA | Migrate open tickets and the CMDB | 6 | VENDOR |
        | INTEG | E-mail and single sign-on integration | 5 | CONFIG |
        | TEST | System and acceptance testing | 5 | INTEG, DATA |
        | TRAIN | Train 40 service desk agents | 4 | DESIGN |
        | GOLIVE | Go-live (milestone) | 0 | TEST, TRAIN |
        | HYPER | Hypercare | 5 | GOLIVE |
        | FINISH | Project closed (milestone) | 0 | HYPER |
        """
    )
    nb.code(
        """
        import itpm_course as pm
        from itpm_course.plan.io import plan_from_csv_text
        from itpm_course.validation import score

        START, DEADLINE = "2026-09-07", "2026-11-06"
        """
    )
    nb.md(
        """
        ## Q1 — The plan (5 points)

        Write the case as CSV text with the columns `id,name,duration,predecessors`
        (predecessors separated by `;`) and build `plan` with
        `plan_from_csv_text(text, name=..., start=START, deadline=DEADLINE)`.
        """
    )
    nb.answer(
        "q1_answer",
        "",
        """
        CASE_CSV = '''id,name,duration,predecessors
        START,Project approved,0,
        REQ,Requirements workshops,5,START
        VENDOR,Select the tool vendor,8,REQ
        DESIGN,Design incident and request processes,6,REQ
        CONFIG,Configure the tool,10,VENDOR; DESIGN
        DATA,Migrate open tickets and the CMDB,6,VENDOR
        INTEG,E-mail and single sign-on integration,5,CONFIG
        TEST,System and acceptance testing,5,INTEG; DATA
        TRAIN,Train 40 service desk agents,4,DESIGN
        GOLIVE,Go-live,0,TEST; TRAIN
        HYPER,Hypercare,5,GOLIVE
        FINISH,Project closed,0,HYPER
        '''
        plan = plan_from_csv_text(
            CASE_CSV, name="Service desk tool rollout", start=START, deadline=DEADLINE
        )
        """,
    )
    nb.test(
        "q1_test",
        "scheduling.plan",
        5,
        """
        assert isinstance(plan, pm.ProjectPlan), "build plan with plan_from_csv_text(...)"
        ids = [t.id for t in plan.tasks]
        assert len(ids) == 12, f"the case has 12 activities (milestones included), you have {len(ids)}"
        assert {t.id for t in plan.tasks if t.duration == 0} == {"START", "GOLIVE", "FINISH"}, (
            "milestones have duration 0 - and only milestones"
        )
        """,
        "plan",
    )
    nb.md(
        """
        ## Q2 — How long does it take? (2 points)

        Schedule the plan with `pm.schedule(plan)` and set `finish_day` to the project duration
        in working days. Then look at the table (`.to_frame()`): early and late dates, float.
        """
    )
    nb.answer(
        "q2_answer",
        "",
        """
        result = pm.schedule(plan)
        table = result.to_frame()
        finish_day = result.project_duration
        table
        """,
    )
    nb.test(
        "q2_test",
        "scheduling.finish",
        2,
        """
        assert isinstance(finish_day, int | float), "a number of working days"
        assert finish_day < 60, "longer than the sum of all durations? parallel work overlaps"
        """,
        "finish_day",
    )
    nb.md(
        """
        ## Q3 — The critical path (3 points)

        Set `critical_path` to the list of critical task ids **in the order they run**,
        milestones included.
        """
    )
    nb.answer(
        "q3_answer",
        "",
        """
        critical_path = list(table[table["critical"]].sort_values("early_start").index)
        """,
    )
    nb.test(
        "q3_test",
        "scheduling.critical_path",
        3,
        """
        assert isinstance(critical_path, list), "a list of task ids"
        assert critical_path[0] == "START" and critical_path[-1] == "FINISH", (
            "a critical path runs from the start milestone to the finish milestone"
        )
        """,
        "critical_path",
    )
    nb.md(
        """
        ## Q4 — Float (3 points)

        Set `floats` to a dict with the **total float** (working days) of DESIGN, DATA and TRAIN.
        In a markdown note to yourself: which of them would you watch most closely, and why?
        """
    )
    nb.answer(
        "q4_answer",
        "",
        """
        floats = {tid: float(table.loc[tid, "total_float"]) for tid in ("DESIGN", "DATA", "TRAIN")}
        """,
    )
    nb.test(
        "q4_test",
        "scheduling.floats",
        3,
        """
        assert set(floats) == {"DESIGN", "DATA", "TRAIN"}, "one entry per task asked for"
        assert all(v >= 0 for v in floats.values()), "in a feasible schedule float is never negative"
        """,
        "floats",
    )
    nb.md(
        """
        ## Q5 — Going live three days earlier (3 points)

        The sponsor asks for go-live 3 working days earlier. Which tasks, each shortened by
        **3 days on its own**, would bring GOLIVE forward by the **full 3 days**? Set
        `crash_options` to that list. Try it: `pm.schedule(plan, durations)` takes an array of
        durations in plan order. Beware of a parallel path that becomes critical.
        """
    )
    nb.answer(
        "q5_answer",
        "",
        """
        import numpy as np

        base = table.loc["GOLIVE", "early_finish"]
        crash_options = []
        for k, task in enumerate(plan.tasks):
            if task.duration < 3:
                continue
            durations = np.array([t.duration for t in plan.tasks], dtype=float)
            durations[k] -= 3
            moved = base - pm.schedule(plan, durations).to_frame().loc["GOLIVE", "early_finish"]
            if moved >= 3:
                crash_options.append(task.id)
        crash_options
        """,
    )
    nb.test(
        "q5_test",
        "scheduling.crash",
        3,
        """
        assert isinstance(crash_options, list | set | tuple) and crash_options, "a list of task ids"
        assert "HYPER" not in crash_options, "hypercare comes after go-live: it cannot move it"
        """,
        "sorted(crash_options)",
    )
    nb.md(
        """
        ## Q6 — A plan fit for review (6 points)

        A plan is more than a network. Build `full_plan` from the same activities with, for
        every task: a WBS code (`wbs`), an `owner`, and three-point estimates
        (`optimistic`, `most_likely`, `pessimistic`, with the duration the most likely one).
        Keep the deadline. The review uses the validator's **scheduling** rubric (DCMA-style
        checks): run `score(full_plan, "scheduling")` and improve until it is happy.
        """
    )
    nb.answer(
        "q6_answer",
        "",
        """
        FULL_CSV = '''id,name,duration,predecessors,optimistic,most_likely,pessimistic,wbs,owner
        START,Project approved,0,,,,,1.1,Dana Whitfield
        REQ,Requirements workshops,5,START,4,5,7,1.2,Priya Shah
        VENDOR,Select the tool vendor,8,REQ,6,8,12,2.1,Sam Okafor
        DESIGN,Design incident and request processes,6,REQ,5,6,8,2.2,Priya Shah
        CONFIG,Configure the tool,10,VENDOR; DESIGN,8,10,14,3.1,Tom Berg
        DATA,Migrate open tickets and the CMDB,6,VENDOR,4,6,9,3.2,Lena Fischer
        INTEG,E-mail and single sign-on integration,5,CONFIG,4,5,8,3.3,Tom Berg
        TEST,System and acceptance testing,5,INTEG; DATA,4,5,7,4.1,Maria Lopez
        TRAIN,Train 40 service desk agents,4,DESIGN,3,4,5,4.2,Nadia Roy
        GOLIVE,Go-live,0,TEST; TRAIN,,,,5.1,Dana Whitfield
        HYPER,Hypercare,5,GOLIVE,5,5,7,5.2,Sam Okafor
        FINISH,Project closed,0,HYPER,,,,5.3,Dana Whitfield
        '''
        full_plan = plan_from_csv_text(
            FULL_CSV, name="Service desk tool rollout", start=START, deadline=DEADLINE
        )
        """,
    )
    nb.test(
        "q6_test",
        "scheduling.rubric",
        6,
        """
        assert full_plan.deadline is not None, "keep the case's deadline in the plan"
        review = score(full_plan, "scheduling")
        print(review.feedback())
        """,
        "full_plan",
    )


# -------------------------------------------------------------------------------------- risk
def risk(nb) -> None:
    nb.md(
        """
        # Assignment 3 — Risk: register, scores, responses and a P80 commitment

        The server migration from the course's sample plan is your project. You will score its
        risk register, find the risks that matter, write risks of your own with responses,
        simulate the schedule with Monte Carlo and commit to a date and a budget you can
        defend.

        About 3 hours. Notebooks 06 (risk management) and 07 (Monte Carlo) cover the ideas.
        """
        + HOW_TO
    )
    nb.code(
        """
        import math

        import itpm_course as pm
        from itpm_course.data import sample_plan, sample_register
        from itpm_course.engine.montecarlo import risk_events, simulate
        from itpm_course.engine.risk import contingency_reserve, score_register
        from itpm_course.plan.io import plan_from_dict
        from itpm_course.plan.risks import register_from_dict
        from itpm_course.validation import score

        plan = sample_plan("server_migration")
        register = sample_register("server_migration")
        SEED, ITERATIONS = 42, 10_000
        print(plan.name, "| start", plan.start, "| deadline", plan.deadline, "| budget", plan.budget)
        pm.schedule(plan).to_frame()[["name", "duration", "early_finish", "total_float"]]
        """
    )
    nb.md(
        """
        ## Q1 — Score the register (3 points)

        Score the sample `register` with the course's probability × impact matrix
        (`score_register`) and set `scores` to a dict `{risk_id: score}`.
        """
    )
    nb.answer(
        "q1_answer",
        "",
        """
        scored = score_register(register)
        scores = scored["score"].to_dict()
        scored[["score", "zone", "emv_cost", "rank"]]
        """,
    )
    nb.test(
        "q1_test",
        "risk.scores",
        3,
        """
        assert isinstance(scores, dict) and len(scores) == len(register), "one score per risk"
        assert all(0 <= v <= 1 for v in scores.values()), "PMBOK matrix scores lie between 0 and 1"
        """,
        "scores",
    )
    nb.md(
        """
        ## Q2 — The top three (2 points)

        Set `top3` to the ids of the three highest-priority risks, highest first. When two
        risks share a score, the larger expected monetary value (EMV) goes first.
        """
    )
    nb.answer("q2_answer", "", "top3 = list(scored.index[:3])")
    nb.test(
        "q2_test",
        "risk.top3",
        2,
        """
        assert isinstance(top3, list) and len(top3) == 3, "a list of three risk ids"
        assert set(top3) <= set(scores), "ids from the register"
        """,
        "top3",
    )
    nb.md(
        """
        ## Q3 — The threats' EMV (2 points)

        Set `threat_emv` to the total expected monetary value of the **open threats** as a
        positive amount: the contingency their EMV implies. Opportunities do not offset it.
        """
    )
    nb.answer("q3_answer", "", "threat_emv = contingency_reserve(scored)")
    nb.test(
        "q3_test",
        "risk.emv",
        2,
        """
        assert isinstance(threat_emv, int | float) and threat_emv > 0, "a positive amount of money"
        """,
        "threat_emv",
    )
    nb.md(
        """
        ## Q4 — Your own risks (6 points)

        The sample register misses things. Write `my_register` with **at least six new risks**
        for this migration (at least one opportunity), each with an owner, a probability, an
        impact rating (1–5), the tasks it affects, a response strategy and actions, and impact
        days/cost where you can estimate them. Build it with `register_from_dict([...])`. The
        validator's risk rubric grades it: owners and responses for the top risks, mitigation
        with actions for high scores, tasks named, an opportunity.
        """
    )
    nb.answer(
        "q4_answer",
        "",
        """
        my_register = register_from_dict([
            {"id": "N1", "title": "Legacy application licence cannot move to new hardware",
             "kind": "threat", "probability": 0.3, "impact_rating": 4, "impact_days": 5,
             "impact_cost": 15000, "tasks": ["PROC", "MIG"], "owner": "Sam Okafor",
             "strategy": "mitigate", "actions": "Confirm licence mobility with each vendor in week 1"},
            {"id": "N2", "title": "Backup restore slower than the cut-over window allows",
             "kind": "threat", "probability": 0.3, "impact_rating": 3, "impact_days": 2,
             "impact_cost": 4000, "tasks": ["BAK", "CUT"], "owner": "Lena Fischer",
             "strategy": "mitigate", "actions": "Time a full restore of the largest database"},
            {"id": "N3", "title": "Data centre power work clashes with the build week",
             "kind": "threat", "probability": 0.1, "impact_rating": 3, "impact_days": 3,
             "impact_cost": 3000, "tasks": ["BLD"], "owner": "Tom Berg",
             "strategy": "avoid", "actions": "Agree the build week with facilities now"},
            {"id": "N4", "title": "Monitoring agents missing on the new servers",
             "kind": "threat", "probability": 0.5, "impact_rating": 2, "impact_days": 1,
             "impact_cost": 1500, "tasks": ["BLD", "DOC"], "owner": "Tom Berg",
             "strategy": "mitigate", "actions": "Add the agents to the server build template"},
            {"id": "N5", "title": "Key application owner on leave during pilot testing",
             "kind": "threat", "probability": 0.3, "impact_rating": 2, "impact_days": 2,
             "tasks": ["PTST"], "owner": "Maria Lopez", "strategy": "accept",
             "actions": "Name a deputy tester; accept a short slip"},
            {"id": "N6", "title": "Vendor offers free migration tooling for virtual machines",
             "kind": "opportunity", "probability": 0.4, "impact_rating": 3, "impact_days": 2,
             "impact_cost": 3000, "tasks": ["MIG"], "owner": "Priya Shah",
             "strategy": "exploit", "actions": "Trial the tooling in the pilot wave"},
        ])
        score_register(my_register)[["score", "zone", "emv_cost"]]
        """,
    )
    nb.test(
        "q4_test",
        "risk.register",
        6,
        """
        assert isinstance(my_register, pm.RiskRegister), "build it with register_from_dict([...])"
        assert len(my_register) >= 6, "at least six risks of your own"
        assert any(not r.is_threat for r in my_register), "look for at least one opportunity too"
        """,
        "my_register",
    )
    nb.md(
        """
        ## Q5 — Monte Carlo P80 (4 points)

        Simulate the sample `plan` with `simulate(plan, iterations=ITERATIONS, seed=SEED)` and
        again with the sample register's risk events (`risks=risk_events(register)`). Set
        `p80_days = {"without_risks": ..., "with_risks": ...}` to the two P80 durations in
        working days. Compare them with the deadline: what does the difference tell you?
        """
    )
    nb.answer(
        "q5_answer",
        "",
        """
        plain = simulate(plan, iterations=ITERATIONS, seed=SEED)
        with_risks = simulate(plan, iterations=ITERATIONS, seed=SEED, risks=risk_events(register))
        p80_days = {"without_risks": plain.percentile(80), "with_risks": with_risks.percentile(80)}
        p80_days
        """,
    )
    nb.test(
        "q5_test",
        "risk.p80",
        4,
        """
        assert set(p80_days) == {"without_risks", "with_risks"}, "the two P80 durations"
        assert p80_days["with_risks"] >= p80_days["without_risks"], (
            "threats add delay: the P80 with risk events cannot be shorter"
        )
        """,
        "p80_days",
    )
    nb.md(
        """
        ## Q6 — The date you commit to (2 points)

        Turn the P80 *with risks* into a calendar date: round it **up** to whole working days
        and count them from the plan's start on its calendar (day 1 is the start date;
        `plan.calendar.add_workdays(plan.start, [n])` returns the date `n` working days after
        the start). Set `commit_date` to that date as an ISO string.
        """
    )
    nb.answer(
        "q6_answer",
        "",
        """
        days = math.ceil(p80_days["with_risks"])
        commit_date = str(plan.calendar.add_workdays(plan.start, [days - 1])[0])
        commit_date
        """,
    )
    nb.test(
        "q6_test",
        "risk.commitment",
        2,
        """
        assert isinstance(commit_date, str) and len(commit_date) == 10, "an ISO date 'YYYY-MM-DD'"
        assert commit_date > str(plan.start), "the commitment comes after the start"
        """,
        "commit_date",
    )
    nb.md(
        """
        ## Q7 — A budget you can defend (3 points)

        Build `final_plan`: the same tasks, **your** register attached as the plan's risks, and
        a budget of the base cost plus a contingency that covers both the Monte Carlo P80 cost
        and the threats' EMV (the validator's BUD002 rule checks it). Round up to a whole
        thousand; do not pad beyond what the analysis supports.
        """
    )
    nb.answer(
        "q7_answer",
        "",
        """
        data = plan.to_dict()
        data["risks"] = [r.to_dict() for r in my_register]
        draft = plan_from_dict(data)
        sim = simulate(draft, iterations=2000, seed=0, risks=risk_events(my_register))
        base_cost = sim.base_cost
        needed = max(sim.cost_percentile(80) - base_cost, contingency_reserve(score_register(my_register)))
        data["budget"] = math.ceil((base_cost + needed) / 1000 + 1) * 1000
        final_plan = plan_from_dict(data)
        print(score(final_plan, "risk").feedback())
        """,
    )
    nb.test(
        "q7_test",
        "risk.final_plan",
        3,
        """
        assert final_plan.budget is not None, "give final_plan a budget"
        assert final_plan.risks is not None and len(final_plan.risks) >= 6, "attach my_register"
        """,
        "final_plan",
    )


# ------------------------------------------------------------------------------- performance
def performance(nb) -> None:
    nb.md(
        """
        # Assignment 4 — Performance: earned value and a status report

        A CRM rollout is at the end of **week 6 of 12**. You have the status table from the
        team leads. You will compute earned value, forecast the outcome, set the RAG status and
        write the status report's headline and recommendation for the steering committee.

        About 2–3 hours. Notebook 08 (measuring performance) covers the ideas.
        """
        + HOW_TO
    )
    nb.code(
        """
        from itpm_course.engine.evm import evm_metrics
        from itpm_course.grading.performance import (
            AMBER,
            BAC,
            GREEN,
            MANAGEMENT_RESERVE,
            PV,
            RECOMMENDATIONS,
            status_frame,
        )

        table = status_frame()
        print(f"BAC {BAC:,.0f} | planned value at week 6 {PV:,.0f}")
        print(f"RAG thresholds: green >= {GREEN}, amber >= {AMBER}, red below")
        print(f"management reserve held by the sponsor: {MANAGEMENT_RESERVE:.0%} of BAC")
        table
        """
    )
    nb.md(
        """
        ## Q1 — Earned value and actual cost (3 points)

        From the table, set `status = {"ev": ..., "ac": ...}`: the earned value (each task's
        budget × percent complete) and the actual cost to date, summed over the tasks.
        """
    )
    nb.answer(
        "q1_answer",
        "",
        """
        ev = float((table["budget"] * table["percent_complete"] / 100).sum())
        ac = float(table["actual_cost"].sum())
        status = {"ev": ev, "ac": ac}
        status
        """,
    )
    nb.test(
        "q1_test",
        "performance.ev_ac",
        3,
        """
        assert set(status) == {"ev", "ac"}, "status has the keys 'ev' and 'ac'"
        assert 0 < status["ev"] <= BAC, "EV lies between 0 and BAC"
        """,
        "status",
    )
    nb.md(
        """
        ## Q2 — Variances and indices (4 points)

        Set `indices = {"sv": ..., "cv": ..., "spi": ..., "cpi": ...}`. You may check yourself
        with `evm_metrics(BAC, PV, ev, ac)`, but compute them from the formulas first.
        """
    )
    nb.answer(
        "q2_answer",
        "",
        """
        indices = {"sv": ev - PV, "cv": ev - ac, "spi": ev / PV, "cpi": ev / ac}
        indices
        """,
    )
    nb.test(
        "q2_test",
        "performance.indices",
        4,
        """
        assert set(indices) == {"sv", "cv", "spi", "cpi"}, "four keys: sv, cv, spi, cpi"
        assert (indices["cv"] < 0) == (indices["cpi"] < 1), "CV and CPI must tell the same story"
        assert (indices["sv"] < 0) == (indices["spi"] < 1), "SV and SPI must tell the same story"
        """,
        "indices",
    )
    nb.md(
        """
        ## Q3 — Forecast (3 points)

        Assume the rest of the work goes at today's cost efficiency. Set
        `forecast = {"eac": ..., "etc": ..., "vac": ...}`.
        """
    )
    nb.answer(
        "q3_answer",
        "",
        """
        eac = BAC / indices["cpi"]
        forecast = {"eac": eac, "etc": eac - ac, "vac": BAC - eac}
        forecast
        """,
    )
    nb.test(
        "q3_test",
        "performance.forecast",
        3,
        """
        assert set(forecast) == {"eac", "etc", "vac"}
        assert abs(forecast["eac"] - forecast["etc"] - status["ac"]) < 1, "EAC = AC + ETC"
        """,
        "forecast",
    )
    nb.md(
        """
        ## Q4 — To-complete performance index (2 points)

        Set `tcpi` to the cost efficiency the remaining work needs to finish within BAC. Is it
        realistic, compared with the CPI so far?
        """
    )
    nb.answer("q4_answer", "", "tcpi = (BAC - ev) / (BAC - ac)\ntcpi")
    nb.test(
        "q4_test",
        "performance.tcpi",
        2,
        """
        assert isinstance(tcpi, float) and tcpi > 0, "a positive ratio"
        """,
        "tcpi",
    )
    nb.md(
        """
        ## Q5 — RAG status (3 points)

        Classify the CPI (cost) and the SPI (schedule) with the thresholds above and set
        `rag = {"cost": ..., "schedule": ..., "overall": ...}` with `'green'`, `'amber'` or
        `'red'`; the overall status is the worse of the two.
        """
    )
    nb.answer(
        "q5_answer",
        "",
        """
        def band(index):
            return "green" if index >= GREEN else "amber" if index >= AMBER else "red"

        order = ["green", "amber", "red"]
        rag = {"cost": band(indices["cpi"]), "schedule": band(indices["spi"])}
        rag["overall"] = max(rag.values(), key=order.index)
        rag
        """,
    )
    nb.test(
        "q5_test",
        "performance.rag",
        3,
        """
        assert set(rag) == {"cost", "schedule", "overall"}
        assert set(rag.values()) <= {"green", "amber", "red"}, "use 'green', 'amber' or 'red'"
        """,
        "rag",
    )
    nb.md(
        """
        ## Q6 — The status report (4 points)

        Write `report = {"rag": ..., "headline": ..., "recommendation": ..., "reason": ...}`:

        * `headline`: one sentence for the steering committee with the figures that matter;
        * `recommendation`: one of `RECOMMENDATIONS`. The reporting plan says: *continue* when
          green; *corrective action* when the team can recover within the budget plus the
          sponsor's management reserve; *escalate* when the forecast (EAC) exceeds it;
        * `reason`: why, in a sentence or two.
        """
    )
    nb.answer(
        "q6_answer",
        "",
        """
        ceiling = BAC * (1 + MANAGEMENT_RESERVE)
        report = {
            "rag": rag["overall"],
            "headline": (
                f"Week 6: CPI {indices['cpi']:.2f} and SPI {indices['spi']:.2f}; "
                f"at this efficiency the project will cost {forecast['eac']:,.0f} "
                f"against a budget of {BAC:,.0f}."
            ),
            "recommendation": "escalate" if forecast["eac"] > ceiling else "corrective action",
            "reason": (
                f"The forecast overrun of {-forecast['vac']:,.0f} exceeds the management "
                f"reserve, and a TCPI of {tcpi:.2f} is far above the CPI achieved so far."
            ),
        }
        report
        """,
    )
    nb.test(
        "q6_test",
        "performance.report",
        4,
        """
        assert set(report) >= {"rag", "headline", "recommendation", "reason"}
        assert report["recommendation"] in RECOMMENDATIONS, f"choose from {RECOMMENDATIONS}"
        assert len(report["headline"].split()) >= 8, "a headline is a full sentence"
        """,
        "report",
    )


# ---------------------------------------------------------------------------------- capstone
def capstone(nb) -> None:
    nb.md(
        """
        # Assignment 5 — Capstone: move a 200-user CRM to the cloud

        You are the project manager. Write a complete project plan for the case below: WBS,
        schedule with three-point estimates, resources, budget with a sized contingency, risk
        register with responses, a RACI for the deliverables and a stakeholder register. The
        validator's **capstone** rubric grades the plan, with a line of feedback per rubric
        item; run it as often as you like while you work.

        About 6–8 hours. Notebook 14 (capstone) walks through the steps.
        """
        + HOW_TO
    )
    nb.md(
        """
        ## The case

        > A sales and service organisation runs an on-premises CRM used by **200 people**. Its
        > support contract ends on **17 July 2026**: by then the users must work in a cloud CRM
        > (SaaS) with their customer data, the ERP and e-mail integrations, and single sign-on.
        > The project may start on **2 March 2026** and has a **fixed budget of 215,000**,
        > contingency included. Public holidays: 3 and 6 April, 1, 14 and 25 May 2026.
        > The Head of Sales sponsors the project.

        **What to hand in** (in the cells below):

        * `plan` — a `ProjectPlan` (write it in YAML, e.g. `my_crm_plan.yaml` next to this
          notebook, and load it with `load_plan`): start, deadline, budget, calendar,
          resources, at least 15 activities with WBS codes, owners, three-point estimates,
          resources and costs, milestones, and a risk register (`risks:`);
        * `raci` — `{deliverable: {person: letters}}` for at least five deliverables (WBS codes
          or task ids) with exactly one **A** each;
        * `stakeholders` — a list of dicts with `name`, `power` and `interest` (`high`/`low`),
          the engagement `strategy` from the power/interest grid (`manage closely`,
          `keep satisfied`, `keep informed`, `monitor`), a `channel` and a `frequency`.
        """
    )
    nb.code(
        """
        from itpm_course import ProjectPlan, load_plan
        from itpm_course.validation import check_plan

        def review(plan, raci=None):
            \"\"\"Your plan's capstone score with a line per rubric item, and the top findings.\"\"\"
            report = check_plan(plan, "capstone", raci=raci)
            print(report.result.feedback())
            for finding in [f for f in report.findings if f.severity != "info"][:10]:
                print(f"  {finding.severity:7} {finding.code} {finding.location}: {finding.message}")
        """
    )
    nb.md(
        """
        ## Part 1 — The plan

        Load your plan into `plan` and review it. Aim for every rubric line to read `ok`.
        """
    )
    nb.answer("plan_answer", "", _reference_plan_cell())
    nb.md(
        """
        ## Part 2 — RACI

        Set `raci` for your deliverables (WBS codes or task ids of your plan), exactly one
        Accountable each and at least one Responsible.
        """
    )
    nb.answer(
        "raci_answer",
        "",
        """
        raci = {
            "1": {"Alex Morgan": "A", "Priya Shah": "R", "Dana Whitfield": "C"},
            "2": {"Tom Berg": "A", "Sam Okafor": "R", "Lena Fischer": "C", "Alex Morgan": "I"},
            "3": {"Maria Lopez": "A", "Priya Shah": "R", "Chen Wei": "C"},
            "4": {"Chen Wei": "A", "Nadia Roy": "R", "Maria Lopez": "C", "Dana Whitfield": "I"},
            "5": {"Alex Morgan": "A", "Tom Berg": "R", "Dana Whitfield": "C"},
        }
        review(plan, raci)
        """,
    )
    nb.md("The next cells grade the plan, one part of the capstone rubric each.")
    nb.test(
        "schedule_test",
        "capstone.schedule",
        27,
        """
        assert isinstance(plan, ProjectPlan), "plan is a ProjectPlan"
        assert plan.deadline is not None and plan.budget is not None, "the case fixes both"
        """,
        '{"plan": plan, "raci": raci}',
    )
    nb.test(
        "wbs_test",
        "capstone.wbs",
        12,
        """
        assert all(t.wbs for t in plan.tasks), "every activity needs a WBS code"
        """,
        '{"plan": plan, "raci": raci}',
    )
    nb.test(
        "budget_test",
        "capstone.budget",
        14,
        """
        assert plan.resources, "declare the resources (people, capacity, rate)"
        """,
        '{"plan": plan, "raci": raci}',
    )
    nb.test(
        "risks_test",
        "capstone.risks",
        10,
        """
        assert plan.risks is not None and len(plan.risks) > 0, "the plan needs a risks: section"
        """,
        '{"plan": plan, "raci": raci}',
    )
    nb.test(
        "governance_test",
        "capstone.governance",
        9,
        """
        assert isinstance(raci, dict) and raci, "raci maps deliverables to {person: letters}"
        for deliverable, people in raci.items():
            accountable = [p for p, letters in people.items() if "A" in letters]
            assert len(accountable) == 1, f"{deliverable}: exactly one Accountable, not {accountable}"
        """,
        '{"plan": plan, "raci": raci}',
    )
    nb.md(
        """
        ## Part 3 — Stakeholder register

        Set `stakeholders` to at least five stakeholders with their power, interest,
        engagement strategy and how and how often you communicate with them.
        """
    )
    nb.answer(
        "stakeholders_answer",
        "",
        """
        stakeholders = [
            {"name": "Dana Whitfield, Head of Sales (sponsor)", "power": "high", "interest": "high",
             "strategy": "manage closely", "channel": "steering committee", "frequency": "fortnightly"},
            {"name": "CFO", "power": "high", "interest": "low", "strategy": "keep satisfied",
             "channel": "budget summary e-mail", "frequency": "monthly"},
            {"name": "Sales and service users (200)", "power": "low", "interest": "high",
             "strategy": "keep informed", "channel": "intranet news and demos", "frequency": "fortnightly"},
            {"name": "Key users (champions)", "power": "low", "interest": "high",
             "strategy": "keep informed", "channel": "champions meeting", "frequency": "weekly"},
            {"name": "Information security officer", "power": "high", "interest": "low",
             "strategy": "keep satisfied", "channel": "security review", "frequency": "per milestone"},
            {"name": "Facilities", "power": "low", "interest": "low", "strategy": "monitor",
             "channel": "e-mail", "frequency": "as needed"},
        ]
        """,
    )
    nb.test(
        "stakeholders_test",
        "capstone.stakeholders",
        4,
        """
        assert isinstance(stakeholders, list) and stakeholders, "a list of dicts"
        for s in stakeholders:
            assert {"name", "power", "interest", "strategy"} <= set(s), f"incomplete: {s}"
        """,
        "stakeholders",
    )


SPECS = {
    "career_and_certification_plan": career,
    "scheduling": scheduling,
    "risk": risk,
    "performance": performance,
    "capstone": capstone,
}
