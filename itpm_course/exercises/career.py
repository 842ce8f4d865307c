"""Self-checks for the career notebooks: 01 the IT PM role, 02 career path, 03 skills.

Expected answers come from the career guide's data (``itpm_course.content``) and the career and
skills engines, never typed in, so the feedback always agrees with what the widgets show.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from itpm_course.content import (
    STAGE_IDS,
    load_core_competencies,
    load_core_responsibilities,
    load_daily_responsibilities,
    load_skills_by_stage,
    load_specialised_roles,
    load_stages,
    load_timeline,
)
from itpm_course.engine.career import CareerProfile, classify_stage, estimate_timeline
from itpm_course.engine.skills import assess_skills
from itpm_course.exercises.core import Exercise, Incorrect, Misconception, as_number, close_enough

MISCONCEPTIONS = {
    m.id: m
    for m in [
        Misconception(
            "pm-is-product-owner",
            "the project manager owns the product",
            "a product owner (or product manager) decides WHAT the product should do and in which order "
            "features come; the project manager makes sure the agreed work is DELIVERED: scope, plan, "
            "people, risks, changes, quality and reporting.",
        ),
        Misconception(
            "tech-change-is-transformation",
            "any big technology change is 'digital transformation'",
            "moving servers or adopting cloud services is infrastructure work; digital transformation "
            "changes how the organisation itself operates.",
        ),
        Misconception(
            "entry-leads",
            "an entry-level PM leads the team",
            "entry-level work is tactical: helping with the plan, tracking, coordinating and documenting. "
            "Leading cross-functional teams and running risk management is mid-level work.",
        ),
        Misconception(
            "senior-is-more-of-the-same",
            "a senior PM does mid-level work on bigger projects",
            "seniority changes the kind of work, not only its size: a senior PM directs strategy, "
            "portfolios and steering committees and develops other project managers.",
        ),
        Misconception(
            "stages-by-years-alone",
            "career stages are fixed by years alone",
            "the guide's year bands are typical, not rules: years in IT without a PM role keep you at "
            "Foundation, and a PM title you already hold outranks your years.",
        ),
        Misconception(
            "certs-replace-experience",
            "a certification replaces experience",
            "a certification proves knowledge; the stages are about responsibility you have carried. "
            "CAPM is meant for people with little experience, and PMP itself requires years of leading projects.",
        ),
        Misconception(
            "timeline-is-fixed",
            "the timeline to a first PM role is the same for everyone",
            "the guide gives a range (3-7 years) because education, skill development, networking and "
            "early responsibility all change it.",
        ),
        Misconception(
            "reporting-is-admin",
            "status reporting is paperwork",
            "the guide lists status reporting under Communication: it keeps the team aligned and "
            "stakeholders' expectations realistic.",
        ),
        Misconception(
            "senior-skills-early",
            "aiming at senior-level skills too early",
            "strategic planning, portfolio management, organisational influence, innovation and mentoring "
            "are the guide's senior-level focus; mid-level is about going deeper and starting to lead.",
        ),
        Misconception(
            "strengths-offset-gaps",
            "strengths cancel out gaps",
            "a rating above the target is not a negative gap: being excellent at one skill does not make "
            "up for another. Gaps are counted per skill and are never below zero.",
        ),
    ]
}


def _norm(text: Any) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


def _as_mapping(answer: Any, example: str) -> Mapping:
    if not isinstance(answer, Mapping):
        raise Incorrect(f"give a dict, e.g. {example}, not a {type(answer).__name__}.")
    return answer


def _as_set(answer: Any, what: str) -> set[str]:
    if isinstance(answer, str):
        answer = re.split(r"[,\s]+", answer)
    if not isinstance(answer, Iterable) or isinstance(answer, Mapping):
        raise Incorrect(f"give {what} as a list, e.g. ['a', 'c'], not a {type(answer).__name__}.")
    return {_norm(a) for a in answer if _norm(a)}


# =========================================================================== 01 the IT PM role
# --- which of these is the IT PM's job? -----------------------------------------------------
def _core_statement(rid: str) -> str:
    rows = load_core_responsibilities().set_index("id")
    return str(rows.loc[rid, "text"])


#: Statements a-f: core responsibilities from the guide (via content) and product-owner duties.
PM_OR_PO_STATEMENTS = {
    "a": ("pm", "change_control"),
    "b": ("po", "Decide which product features customers value most and order the backlog."),
    "c": ("pm", "risk"),
    "d": ("po", "Set the long-term vision for the product and its market."),
    "e": ("pm", "reporting"),
    "f": ("po", "Accept or reject each finished feature on behalf of the customers."),
}


def pm_or_po_statements() -> dict[str, str]:
    """The statements of exercise 01.pm_duties, letter → text."""
    return {
        k: (_core_statement(v) if who == "pm" else v) for k, (who, v) in PM_OR_PO_STATEMENTS.items()
    }


def _check_pm_duties(answer: Any) -> str:
    got = _as_set(answer, "the letters")
    letters = set(PM_OR_PO_STATEMENTS)
    unknown = sorted(got - letters)
    if unknown:
        raise Incorrect(f"there is no statement {unknown[0]!r}; use the letters a-f.")
    want = {k for k, (who, _) in PM_OR_PO_STATEMENTS.items() if who == "pm"}
    statements = pm_or_po_statements()
    product = sorted(got - want)
    if product:
        k = product[0]
        raise Incorrect(
            f"({k}) '{statements[k]}' is a product decision, not a project-management one.",
            "pm-is-product-owner",
        )
    missing = sorted(want - got)
    if missing:
        k = missing[0]
        raise Incorrect(
            f"({k}) '{statements[k]}' is one of the guide's core responsibilities of the IT PM."
        )
    return (
        "The IT PM delivers the agreed work; the product owner decides what the product should be."
    )


pm_duties = Exercise(
    id="01.pm_duties",
    var="pm_letters",
    prompt=(
        "Which of the statements in `pm_or_po_statements()` are responsibilities of the IT project "
        "manager (the others belong to a product owner)? Store their letters in `pm_letters`, e.g. ['a', 'b']."
    ),
    check_fn=_check_pm_duties,
    hints=[
        "Compare each statement with the core responsibilities table above.",
        "Ask: is this about WHAT the product should be, or about DELIVERING the agreed work?",
    ],
    solution_text="`pm_letters = ['a', 'c', 'e']`: change control, risk and reporting are the PM's; "
    "b, d and f (backlog order, product vision, accepting features) are the product owner's.",
    misconceptions=MISCONCEPTIONS,
)


# --- which level does this daily task belong to? -----------------------------------------
#: (level, position in that level's list) of the four activities in exercise 01.levels.
LEVEL_ITEMS = {"w": ("entry", 5), "x": ("mid", 1), "y": ("senior", 3), "z": ("senior", 5)}


def level_activities() -> dict[str, str]:
    """The activities of exercise 01.levels, letter → text (from the guide's daily work by level)."""
    daily = load_daily_responsibilities()
    return {
        k: str(daily[daily["level"] == lv]["text"].iloc[pos])
        for k, (lv, pos) in LEVEL_ITEMS.items()
    }


def _check_levels(answer: Any) -> str:
    answer = _as_mapping(answer, "{'w': 'entry', 'x': 'mid', ...}")
    activities = level_activities()
    missing = [k for k in LEVEL_ITEMS if k not in answer]
    if missing:
        raise Incorrect(f"your dict has no level for activity {missing[0]!r}.")
    order = {"entry": 0, "mid": 1, "senior": 2}
    for k, (want, _) in LEVEL_ITEMS.items():
        got = _norm(answer[k])
        if got not in order:
            raise Incorrect(
                f"use 'entry', 'mid' or 'senior' for each activity; {k!r} has {answer[k]!r}."
            )
        if got == want:
            continue
        text = activities[k]
        if got == "entry" and want != "entry":
            raise Incorrect(
                f"({k}) '{text}' is not entry-level work; it is {want}-level.", "entry-leads"
            )
        if want == "senior":
            raise Incorrect(f"({k}) '{text}' is senior-level work.", "senior-is-more-of-the-same")
        raise Incorrect(f"({k}) '{text}' is {want}-level work in the guide, not {got}-level.")
    return "Entry-level is tactical, mid-level leads, senior-level directs and develops others."


levels = Exercise(
    id="01.levels",
    var="activity_levels",
    prompt=(
        "For each activity in `level_activities()`, at which level is it typical: 'entry', 'mid' or 'senior'? "
        "Store a dict in `activity_levels`, e.g. {'w': 'entry', ...}."
    ),
    check_fn=_check_levels,
    hints=[
        "Entry-level work is tactical execution; mid-level is broader leadership; senior-level is strategic.",
        "Work that involves many projects, or other project managers, is senior.",
    ],
    solution_text="`activity_levels = {'w': 'entry', 'x': 'mid', 'y': 'senior', 'z': 'senior'}`.",
    misconceptions=MISCONCEPTIONS,
)


# --- which specialised role? ---------------------------------------------------------------
#: (role id, index into its typical_work) for each project of exercise 01.specialisms.
SPECIALISM_ITEMS = {
    "p1": ("infrastructure", 3),
    "p2": ("itsm", 1),
    "p3": ("erp", 0),
    "p4": ("cybersecurity", 1),
}


def specialism_projects() -> dict[str, str]:
    """The projects of exercise 01.specialisms, key → typical work of one specialised role."""
    roles = load_specialised_roles().set_index("id")
    return {k: str(roles.loc[r, "typical_work"][i]) for k, (r, i) in SPECIALISM_ITEMS.items()}


def _check_specialisms(answer: Any) -> str:
    answer = _as_mapping(answer, "{'p1': 'infrastructure', ...}")
    roles = load_specialised_roles()
    ids = set(roles["id"])
    by_name = {_norm(n): i for i, n in zip(roles["id"], roles["name"], strict=True)}
    projects = specialism_projects()
    for k, (want, _) in SPECIALISM_ITEMS.items():
        if k not in answer:
            raise Incorrect(f"your dict has no role for project {k!r}.")
        got = _norm(answer[k]).replace(" ", "_")
        got = by_name.get(_norm(answer[k]), got)
        if got not in ids:
            raise Incorrect(f"{answer[k]!r} is not a role id; use one of {', '.join(sorted(ids))}.")
        if got != want:
            misc = "tech-change-is-transformation" if got == "digital_transformation" else None
            raise Incorrect(
                f"{k} ('{projects[k]}') is typical work of the {want} project manager.", misc
            )
    return "Each specialisation keeps the core PM job and adds a domain."


specialisms = Exercise(
    id="01.specialisms",
    var="project_roles",
    prompt=(
        "Match each project in `specialism_projects()` to the specialised role that typically runs it. "
        "Store a dict of role ids (the `id` column of the roles table) in `project_roles`."
    ),
    check_fn=_check_specialisms,
    hints=[
        "Look at the `typical_work` column of `content.load_specialised_roles()`.",
        "Cloud services and data-centre moves are infrastructure; service desks are ITSM.",
    ],
    solution_text="`project_roles = {'p1': 'infrastructure', 'p2': 'itsm', 'p3': 'erp', 'p4': 'cybersecurity'}`.",
    misconceptions=MISCONCEPTIONS,
)

ALL_01 = [pm_duties, levels, specialisms]


# =========================================================================== 02 career path
def _stage_answer(answer: Any) -> str:
    if not isinstance(answer, str):
        raise Incorrect(
            f"give the stage id as text, one of {', '.join(STAGE_IDS)}; not {answer!r}."
        )
    key = _norm(answer)
    names = {_norm(n): s for s, n in zip(load_stages()["id"], load_stages()["name"], strict=True)}
    stage = names.get(key, key.replace(" ", "_"))
    if stage not in STAGE_IDS:
        raise Incorrect(f"{answer!r} is not a stage; use one of {', '.join(STAGE_IDS)}.")
    return stage


def _stage_check(profile: CareerProfile, who: str, extra_misc: str | None = None):
    from itpm_course.engine.career import stage_from_years  # noqa: PLC0415

    def check(answer: Any) -> str:
        got = _stage_answer(answer)
        result = classify_stage(profile)
        if got == result.stage:
            text = "; ".join(result.reasons).replace("your title", "the title")
            return text[:1].upper() + text[1:] + "."
        by_years = stage_from_years(profile.years_it)
        if got == by_years:
            raise Incorrect(
                f"{profile.years_it:g} years in IT alone would put {who} at {by_years}, but "
                f"{result.reasons[0].replace('your title', 'the title')}.",
                extra_misc or "stages-by-years-alone",
            )
        raise Incorrect(f"{who} is not at {got}: {result.reasons[0]}.")

    return check


#: Profiles of the three stage exercises (the answer is computed by ``classify_stage``).
PRIYA = CareerProfile(years_it=6, years_pm=0, background="subject_matter_expert")
SAM = CareerProfile(years_it=3, years_pm=1, current_title="IT Project Manager")
ALEX = CareerProfile(years_it=3, years_pm=0)

stage_priya = Exercise(
    id="02.stage_priya",
    var="priya_stage",
    prompt=(
        "Priya has been a network engineer for 6 years and has never held a project-management role. "
        "At which stage is she ('foundation', 'entry', 'mid' or 'senior')? Store it in `priya_stage`."
    ),
    check_fn=_stage_check(PRIYA, "Priya"),
    hints=[
        "The year bands count a career in IT, but the stages are stages of a PM career.",
        "Without any PM role yet, where does the course's model put you?",
    ],
    solution_text="`priya_stage = 'foundation'`: no PM role yet. Her 6 years of technical depth are an "
    "asset (the subject-matter-expert pathway), but she still needs a first PM role.",
    misconceptions=MISCONCEPTIONS,
)

stage_sam = Exercise(
    id="02.stage_sam",
    var="sam_stage",
    prompt=(
        "Sam has 3 years in IT, 1 of them coordinating projects, and was just promoted to "
        "'IT Project Manager'. At which stage is Sam? Store it in `sam_stage`."
    ),
    check_fn=_stage_check(SAM, "Sam"),
    hints=[
        "Look up Sam's title in the titles table (`content.load_titles()`).",
        "A recognised title you already hold outranks years.",
    ],
    solution_text="`sam_stage = 'mid'`: 'IT Project Manager' is a mid-level title, so the title decides, "
    "even though 3 years alone would say entry-level.",
    misconceptions=MISCONCEPTIONS,
)


def _check_alex(answer: Any) -> str:
    got = _stage_answer(answer)
    result = classify_stage(ALEX)
    if got == result.stage:
        return (
            "The CAPM shows Alex knows the vocabulary and the processes; it does not add PM experience. "
            "It does make a coordinator role easier to get."
        )
    if STAGE_IDS.index(got) > STAGE_IDS.index(result.stage):
        raise Incorrect(
            f"the certificate does not change what Alex has done: {result.reasons[0]}.",
            "certs-replace-experience",
        )
    raise Incorrect(
        f"Alex is not at {got}: {result.reasons[0]}."
    )  # pragma: no cover - foundation is first


stage_alex = Exercise(
    id="02.stage_alex",
    var="alex_stage",
    prompt=(
        "Alex has 3 years in IT support, no project-management role yet, and has just passed the CAPM exam. "
        "At which stage is Alex now? Store it in `alex_stage`."
    ),
    check_fn=_check_alex,
    hints=[
        "What does the planner need to know about Alex? Is a certification one of its inputs?",
        "Stages describe the responsibility you have carried, not what you have studied.",
    ],
    solution_text="`alex_stage = 'foundation'`: still no PM role. The CAPM is a good stepping stone "
    "towards a coordinator role (Entry-Level PM), not a substitute for it.",
    misconceptions=MISCONCEPTIONS,
)

#: The accelerators of the timeline exercise, and the degree.
TIMELINE_ACCELERATORS = ("volunteer_coordination", "networking")
TIMELINE_PROFILE = CareerProfile(years_it=0, relevant_degree=True)


def _check_timeline(answer: Any) -> str:
    value = as_number(answer, "The expected number of years")
    est = estimate_timeline(TIMELINE_PROFILE, TIMELINE_ACCELERATORS)
    timeline = load_timeline()
    if close_enough(value, est.expected_years):
        return (
            f"{len(est.factors_met)} of the guide's four factors are in Jo's favour, so the model says "
            f"{est.expected_years} years instead of {est.max_years}."
        )
    if close_enough(value, timeline["years_max"]) or close_enough(value, timeline["years_min"]):
        raise Incorrect(
            f"{value:g} years is an end of the range; Jo has {len(est.factors_met)} of the four factors.",
            "timeline-is-fixed",
        )
    if value < timeline["years_min"] or value > timeline["years_max"]:
        raise Incorrect(
            f"the guide's range is {timeline['years_min']}-{timeline['years_max']} years; {value:g} is outside it."
        )
    raise Incorrect(
        f"count the factors Jo has ({', '.join(est.factors_met)}...?) and take one year off 7 for each."
    )


timeline = Exercise(
    id="02.timeline",
    var="jo_years",
    prompt=(
        "Jo is starting out with a computer-science degree, volunteers for project-coordination work "
        "and networks at a PMI chapter. Using the course's timeline model (7 years, minus one for each "
        "of the guide's four factors Jo has), how many years to a first IT Project Manager role? "
        "Store the number in `jo_years`."
    ),
    check_fn=_check_timeline,
    hints=[
        "The four factors: a relevant degree, fast skill development, networking and mentoring, "
        "early project responsibility.",
        "Volunteering for coordination is early responsibility; a PMI chapter is networking.",
    ],
    solution_text="`jo_years = 4`: degree, early responsibility and networking are three factors, so 7 − 3 = 4.",
    misconceptions=MISCONCEPTIONS,
)

ALL_02 = [stage_priya, stage_sam, stage_alex, timeline]


# =========================================================================== 03 skills
#: Key skills from the guide's core-competency table used in exercise 03.competencies.
COMPETENCY_SKILLS = (
    "status reporting",
    "mitigation planning",
    "delegation",
    "standards compliance",
)


def _competency_of(skill: str) -> str:
    for row in load_core_competencies().itertuples():
        if skill in row.key_skills:
            return str(row.category)
    raise KeyError(skill)  # pragma: no cover - COMPETENCY_SKILLS come from the table


def _check_competencies(answer: Any) -> str:
    answer = _as_mapping(answer, "{'status reporting': 'Communication', ...}")
    categories = {_norm(c): c for c in load_core_competencies()["category"]}
    for skill in COMPETENCY_SKILLS:
        if skill not in answer:
            raise Incorrect(f"your dict has no category for {skill!r}.")
        got = categories.get(_norm(answer[skill]))
        if got is None:
            raise Incorrect(
                f"{answer[skill]!r} is not a category; use one of {', '.join(categories.values())}."
            )
        want = _competency_of(skill)
        if got != want:
            misc = "reporting-is-admin" if skill == "status reporting" else None
            raise Incorrect(f"'{skill}' belongs to {want}, not {got}.", misc)
    return "Each category bundles the key skills that protect one outcome of the project."


competencies = Exercise(
    id="03.competencies",
    var="skill_categories",
    prompt=(
        f"Put each of these key skills into its core-competency category: {', '.join(COMPETENCY_SKILLS)}. "
        "Store a dict skill → category (e.g. 'Communication') in `skill_categories`."
    ),
    check_fn=_check_competencies,
    hints=[
        "The categories are the first column of `content.load_core_competencies()`.",
        "Ask what each skill protects: expectations, the plan against problems, the team, or the deliverables.",
    ],
    solution_text="status reporting → Communication, mitigation planning → Risk Management, "
    "delegation → Leadership, standards compliance → Quality Assurance.",
    misconceptions=MISCONCEPTIONS,
)


def mid_focus() -> list[str]:
    """The guide's mid-level skill focus, in the guide's words."""
    focus = load_skills_by_stage()
    return focus.loc[focus["stage"] == "mid", "skill"].tolist()


#: The options of exercise 03.mid_focus: every stage's focus skills, in a fixed mixed order.
def focus_options() -> list[str]:
    """All skills the guide lists by stage (entry, mid, senior), sorted alphabetically."""
    return sorted(load_skills_by_stage()["skill"].unique())


def _check_mid_focus(answer: Any) -> str:
    got = _as_set(answer, "the skills")
    focus = load_skills_by_stage()
    stage_of = {_norm(s): st for s, st in zip(focus["skill"], focus["stage"], strict=True)}
    unknown = sorted(g for g in got if g not in stage_of)
    if unknown:
        raise Incorrect(
            f"{unknown[0]!r} is not one of `focus_options()`; copy the names from there."
        )
    want = {_norm(s) for s in mid_focus()}
    senior = sorted(g for g in got if stage_of[g] == "senior")
    if senior:
        raise Incorrect(
            f"'{senior[0]}' is in the guide's senior-level focus.", "senior-skills-early"
        )
    entry = sorted(g for g in got if stage_of[g] == "entry")
    if entry:
        raise Incorrect(
            f"'{entry[0]}' is an entry-level fundamental; by mid-level you should have it already."
        )
    missing = sorted(want - got)
    if missing:
        raise Incorrect(f"you left out '{missing[0]}', which the guide lists for mid-level PMs.")
    return (
        "Mid-level: go deeper (risk, a specialisation) and start leading (stakeholders, the team)."
    )


mid_level_focus = Exercise(
    id="03.mid_focus",
    var="mid_skills",
    prompt=(
        "From `focus_options()`, pick the skills the guide says a mid-level PM should develop. "
        "Store them as a list in `mid_skills`."
    ),
    check_fn=_check_mid_focus,
    hints=[
        "There are four. Two are about depth, two are about leading people.",
        "Portfolio management and mentoring come later; scheduling and documentation come earlier.",
    ],
    solution_text="`mid_skills = ['advanced risk management', 'stakeholder engagement', "
    "'technical depth in your specialisation', 'team leadership']`.",
    misconceptions=MISCONCEPTIONS,
)

#: Kim's self-ratings (0-5) for exercise 03.gap; the target stage is mid-level.
KIM_RATINGS = {"risk_management": 2, "communication": 5, "leadership": 3, "pm_tools": 4}
GAP_SKILL, GAP_TARGET = "risk_management", "mid"


def _check_gap(answer: Any) -> str:
    value = as_number(answer, "Kim's total gap")
    table = assess_skills(KIM_RATINGS, GAP_TARGET).set_index("skill_id").loc[list(KIM_RATINGS)]
    want = float(table["gap"].sum())
    if close_enough(value, want):
        return f"Risk management alone is {table.loc[GAP_SKILL, 'gap']:g} of it: that is where Kim's plan starts."
    net = float((table["target"] - table["rating"]).sum())
    if close_enough(value, net):
        raise Incorrect(
            f"{value:g} lets Kim's strong skills cancel out the weak ones.", "strengths-offset-gaps"
        )
    if close_enough(value, float(table["target"].sum())):
        raise Incorrect(f"{value:g} is the sum of the targets; subtract Kim's ratings.")
    raise Incorrect(
        f"{value:g} is not it: for each of the four skills take max(0, target − rating), then add them up."
    )


gap_total = Exercise(
    id="03.gap",
    var="kim_gap",
    prompt=(
        f"Kim rates herself {KIM_RATINGS} and targets the mid-level stage. Using the mid-level targets "
        "(`content.load_skill_targets()`, column 'mid'), what is her total gap over these four skills? "
        "Store the number in `kim_gap`."
    ),
    check_fn=_check_gap,
    hints=[
        "Look up the 'mid' target of each of the four skills.",
        "A skill rated above its target has a gap of 0, not a negative gap.",
    ],
    solution_text="Targets are 4, 4, 4, 3: gaps are 2 (risk), 0 (communication, rated above target), "
    "1 (leadership) and 0 (tools), so `kim_gap = 3`.",
    misconceptions=MISCONCEPTIONS,
)

ALL_03 = [competencies, mid_level_focus, gap_total]
ALL = ALL_01 + ALL_02 + ALL_03
