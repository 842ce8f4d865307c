"""Completeness of the content data against the career guide.

The explicit lists below work on a clean clone; the guide-parsing tests run only when the guide
file (../shared/seed/...) is present next to the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from itpm_course import content

GUIDE = (
    Path(__file__).resolve().parents[3] / "shared" / "seed" / "it-project-manager-career-guide.txt"
)

EXPECTED_STAGES = {
    "Foundation": (0, 2),
    "Entry-Level PM": (2, 4),
    "Mid-Level PM": (4, 7),
    "Senior PM": (7, None),
}
EXPECTED_TITLES = {
    "entry": [
        "IT Project Coordinator",
        "Associate IT Project Manager",
        "Junior IT Project Manager",
        "IT Project Analyst",
        "IT Project Management Intern",
    ],
    "mid": [
        "IT Project Manager",
        "Scrum Master",
        "IT Delivery Manager",
        "Technical Project Manager",
        "IT Implementation Manager",
    ],
    "senior": [
        "Senior IT Project Manager",
        "IT Program Manager",
        "IT Project Portfolio Manager",
        "Enterprise IT Project Manager",
        "PMO (Project Management Office) Lead",
    ],
    "director": ["Director of IT Project Management", "Director of IT Strategy and Planning"],
    "executive": [
        "VP of IT Project Management",
        "VP of IT Strategy and Transformation",
        "Chief Information Officer (CIO)",
    ],
}
EXPECTED_TOOLS = {
    "Microsoft Project": "Project Planning and Scheduling",
    "Smartsheet": "Project Planning and Scheduling",
    "Wrike": "Project Planning and Scheduling",
    "LiquidPlanner": "Project Planning and Scheduling",
    "Atlassian Jira": "Agile and Development-Focused Tools",
    "VersionOne": "Agile and Development-Focused Tools",
    "Scrumwise": "Agile and Development-Focused Tools",
    "Slack": "Collaboration and Communication",
    "Microsoft Teams": "Collaboration and Communication",
    "Confluence": "Collaboration and Communication",
    "GitHub": "Collaboration and Communication",
    "GitLab": "Collaboration and Communication",
    "Resource Guru": "Resource and Risk Management",
    "Teamdeck": "Resource and Risk Management",
    "Risk Register": "Resource and Risk Management",
    "Risk Manager": "Resource and Risk Management",
    "SharePoint": "Documentation and Knowledge Management",
    "Google Workspace": "Documentation and Knowledge Management",
    "Microsoft 365": "Documentation and Knowledge Management",
    "Trello": "Project Management Tools (named in technical skills)",
    "Asana": "Project Management Tools (named in technical skills)",
}
EXPECTED_SPECIALISED_ROLES = [
    "Infrastructure Project Manager",
    "Software Development Project Manager",
    "ITSM Project Manager",
    "Cybersecurity Project Manager",
    "ERP Project Manager",
    "Digital Transformation Project Manager",
]
EXPECTED_CERT_IDS = [
    "pmp",
    "capm",
    "pmi-acp",
    "pgmp",
    "csm",
    "psm-i",
    "prince2-foundation",
    "prince2-practitioner",
    "itil4-foundation",
    "comptia-project-plus",
    "google-pm",
    "safe-agilist",
]
#: The certifications the guide itself describes, by the short name it uses.
GUIDE_CERTS = {
    "PMP": "pmp",
    "CAPM": "capm",
    "CSM": "csm",
    "PRINCE2": "prince2-foundation",
    "ITIL": "itil4-foundation",
}


# --- explicit lists (always run) -------------------------------------------------------------


def test_four_stages_with_guide_years_roles_and_focus():
    stages = content.load_stages()
    assert list(stages["name"]) == list(EXPECTED_STAGES)
    for row in stages.itertuples():
        lo, hi = EXPECTED_STAGES[row.name]
        assert row.years_min == lo
        assert (hi is None and row.years_max != row.years_max) or row.years_max == hi
        assert len(row.typical_roles) >= 2 and len(row.focus) >= 2
    roles = {r for rs in stages["typical_roles"] for r in rs}
    assert {
        "IT Support Specialist",
        "Systems Analyst",
        "Developer",
        "Scrum Master",
        "PMO Lead",
    } <= roles


def test_every_title_at_every_level():
    titles = content.load_titles()
    for level, names in EXPECTED_TITLES.items():
        got = titles.loc[titles["level"] == level, "title"].tolist()
        assert got == names, level
    assert titles["description"].str.len().min() > 15
    assert titles["id"].is_unique


def test_every_tool_with_category_and_purpose():
    tools = content.load_tools()
    assert dict(zip(tools["name"], tools["category"], strict=True)) == EXPECTED_TOOLS
    assert tools["purpose"].str.len().min() > 10
    assert tools["id"].is_unique


def test_six_specialised_roles():
    assert content.load_specialised_roles()["name"].tolist() == EXPECTED_SPECIALISED_ROLES


def test_certifications_catalogue_and_guide_certs():
    certs = content.load_certifications()
    assert certs["id"].tolist() == EXPECTED_CERT_IDS
    for cid in GUIDE_CERTS.values():
        assert certs.set_index("id").loc[cid, "in_guide"]


def test_counts_of_guide_lists():
    assert len(content.load_core_responsibilities()) == 10
    daily = content.load_daily_responsibilities()
    assert daily.groupby("level").size().to_dict() == {"entry": 6, "mid": 6, "senior": 6}
    assert len(content.load_accelerators()) == 6
    assert len(content.load_alternative_pathways()) == 4
    assert len(content.load_technical_skills()) == 9
    assert content.load_core_competencies()["category"].tolist() == [
        "Planning & Execution",
        "Risk Management",
        "Quality Assurance",
        "Communication",
        "Leadership",
    ]
    assert len(content.load_soft_skills()) == 8
    assert content.load_skills_by_stage().groupby("stage").size().to_dict() == {
        "entry": 4,
        "mid": 4,
        "senior": 5,
    }
    assert len(content.load_ways_to_demonstrate_skills()) == 6
    assert len(content.load_advancement()) == 8
    assert len(content.load_salary_factors()["factors"]) == 6
    wl = content.load_work_life()
    assert (len(wl["challenges"]), len(wl["strategies"]), sorted(wl["by_stage"])) == (
        5,
        8,
        ["entry", "mid", "senior"],
    )
    goals = content.load_development_goals()
    assert goals["kind"].nunique() == 5
    assert goals.groupby("kind").size().to_dict() == {
        "technical": 4,
        "delivery": 5,
        "leadership": 5,
        "network": 4,
        "personal": 4,
    }
    assert content.load_goals_by_stage().groupby("stage").size().to_dict() == {
        "entry": 4,
        "mid": 5,
        "senior": 5,
    }
    li = content.load_linkedin_guidance()
    assert len(li["headline"]["examples"]) == 4
    assert len(li["summary"]["questions"]) == 5 and len(li["experience"]["include"]) == 6
    assert len(content.load_interview_categories()) == 5
    assert len(content.load_common_interview_questions()) == 8
    assert len(content.load_interview_guide()["preparation"]) == 6
    assert content.load_related_careers()["name"].tolist() == [
        "Program Manager",
        "IT Business Analyst",
        "Technical Project Manager",
        "IT Consultant",
        "Product Manager",
    ]
    timeline = content.load_timeline()
    assert (timeline["years_min"], timeline["years_max"], len(timeline["factors"])) == (3, 7, 4)
    guidance = content.load_certification_guidance()
    assert len(guidance["benefits"]) == 6 and len(guidance["selection_criteria"]) == 5
    assert content.load_education()["degree_mandatory"] is False


def test_accelerators_point_at_timeline_factors():
    factors = {f["id"] for f in content.load_timeline()["factors"]}
    assert set(content.load_accelerators()["speeds_up"]) <= factors


def test_interview_questions_use_known_categories():
    cats = set(content.load_interview_categories()["id"])
    assert set(content.load_common_interview_questions()["category"]) <= cats


def test_skill_targets_cover_stage_focus_and_competencies():
    targets = content.load_skill_targets()
    ids = set(targets["skill_id"])
    assert set(content.load_core_competencies()["id"]) <= ids
    assert set(content.load_soft_skills()["id"]) <= ids
    assert set(content.load_technical_skills()["id"]) <= ids
    for stage in content.STAGE_IDS:
        assert targets[stage].between(0, 5).all()
    # targets never fall as a career advances
    values = targets[list(content.STAGE_IDS)].to_numpy()
    assert (values[:, 1:] >= values[:, :-1]).all()


# --- the guide itself (only where the file is present) -----------------------------------------

needs_guide = pytest.mark.skipif(
    not GUIDE.exists(), reason="career guide not present beside the repo"
)


@pytest.fixture(scope="module")
def guide_text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def _bullet_names(block: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"^- ([^:\n]+):", block, flags=re.M)]


@needs_guide
def test_guide_stages_in_data(guide_text):
    rows = re.findall(r"^\| ([A-Za-z-]+(?: PM)?) \| (\d+)[-+](\d*)", guide_text, flags=re.M)
    assert len(rows) == 4
    stages = content.load_stages().set_index("name")
    for name, lo, _hi in rows:
        assert name in stages.index
        assert stages.loc[name, "years_min"] == float(lo)


@needs_guide
def test_guide_titles_in_data(guide_text):
    block = _section(guide_text, "Entry-Level Titles", "Advancing Your IT Project Manager Title")
    names = _bullet_names(block)
    assert len(names) == 20
    assert sorted(names) == sorted(content.load_titles()["title"])


@needs_guide
def test_guide_tools_in_data(guide_text):
    block = _section(guide_text, "Project Planning and Scheduling", "Pro Tip")
    names: list[str] = []
    for raw in _bullet_names(block):
        # "GitHub/GitLab" and "Risk Register and Risk Manager" name two tools each.
        names.extend(p.strip() for p in re.split(r"/| and (?=Risk)", raw))
    skills_line = re.search(r"Project management tools \(([^)]+)\)", guide_text).group(1)
    names.extend(n.strip() for n in skills_line.split(","))
    data = set(content.load_tools()["name"])
    missing = [n for n in names if n not in data and f"Atlassian {n}" not in data]
    assert not missing


@needs_guide
def test_guide_specialised_roles_in_data(guide_text):
    block = _section(guide_text, "Specialized IT Project Manager Roles", "How to Become")
    assert _bullet_names(block) == content.load_specialised_roles()["name"].tolist()


@needs_guide
def test_guide_certifications_in_data(guide_text):
    block = _section(guide_text, "Primary IT Project Manager Certifications", "Selecting the Right")
    heads = re.findall(r"^([^:\n]+):", block, flags=re.M)
    short = [re.search(r"\(([A-Z0-9]+)\)", h).group(1) if "(" in h else h.split()[0] for h in heads]
    assert short == ["PMP", "PRINCE2", "CSM", "ITIL", "CAPM"]
    certs = content.load_certifications().set_index("id")
    for s in short:
        assert certs.loc[GUIDE_CERTS[s], "in_guide"]


@needs_guide
def test_guide_core_responsibility_and_skill_counts(guide_text):
    block = _section(guide_text, "Your core responsibilities include:", "Daily Responsibilities")
    assert block.count("\n- ") == len(content.load_core_responsibilities())
    block = _section(guide_text, "Key technical skills include:", "Project Management Core")
    assert block.count("\n- ") == len(content.load_technical_skills())
    block = _section(guide_text, "interpersonal skills:", "Skills by Career Stage")
    assert block.count("\n- ") == len(content.load_soft_skills())
