"""Career widgets: the tool recommender, the LinkedIn headline builder and interview practice.

Each is built by a function that returns the widget; controls and results are attributes, so
tests set a control's value and read the result without a browser::

    rec = tool_recommender();   rec.needs.value = ("scheduling", "risk");  rec.pick_ids
    hb = headline_builder();    hb.role.value = "IT Project Manager";       hb.headline, hb.tips
    ip = interview_practice(seed=1); ip.category.value = "behavioral";      ip.question
"""

from __future__ import annotations

import html
import random
import re
from typing import Any

import ipywidgets as widgets

from itpm_course.content import (
    load_common_interview_questions,
    load_interview_categories,
    load_interview_guide,
    load_linkedin_guidance,
    load_titles,
)
from itpm_course.engine.tools import BUDGETS, METHODOLOGIES, NEEDS, ToolPick, recommend_tools

__all__ = [
    "HEADLINE_MAX_CHARS",
    "PRACTICE_QUESTIONS",
    "HeadlineBuilder",
    "InterviewPractice",
    "ToolRecommender",
    "build_headline",
    "headline_builder",
    "headline_tips",
    "interview_practice",
    "star_feedback",
    "tool_recommender",
]

#: LinkedIn's limit on headline length in characters (LinkedIn Help, "Edit your headline";
#: 220 since 2020; confidence M -- re-check, LinkedIn changes it now and then).
HEADLINE_MAX_CHARS = 220

#: Course-written practice questions for the two categories the guide gives no example for.
#: Not from the guide; a candidate to move into content/job_search.yaml.
PRACTICE_QUESTIONS = (
    {
        "id": "vendor_late",
        "category": "case_scenario",
        "question": "Two weeks before go-live your hardware vendor says delivery will be ten days late. What do you do?",
    },
    {
        "id": "budget_cut",
        "category": "case_scenario",
        "question": "The sponsor cuts the budget by 20% mid-project. How do you decide what changes?",
    },
    {
        "id": "new_framework",
        "category": "adaptability_change",
        "question": "Tell me about a time priorities changed suddenly. How did you re-plan and keep the team with you?",
    },
    {
        "id": "new_tech",
        "category": "adaptability_change",
        "question": "How do you lead a project that uses a technology you have not worked with before?",
    },
    {
        "id": "conflict",
        "category": "leadership_team",
        "question": "Describe a conflict between two team members and how you resolved it.",
    },
)

_SECTION = "<h4 style='margin:6px 0 2px'>{}</h4>"


def _box(text: str, ok: bool = True) -> str:
    colour, bg = ("#2e7d32", "#e8f5e9") if ok else ("#D55E00", "#FFF4EC")
    return (
        f"<div style='padding:4px 8px;border-left:4px solid {colour};background:{bg}'>"
        f"{html.escape(text)}</div>"
    )


# --- tool recommender -----------------------------------------------------------------------


class ToolRecommender(widgets.VBox):
    """Methodology, team size, budget and needs in; a short list of 2-3 core tools with reasons out.

    Controls: ``methodology`` and ``budget`` (Dropdowns), ``team_size`` (IntSlider), ``needs``
    (SelectMultiple), ``max_tools`` (ToggleButtons, 2 or 3). Results: ``picks`` (list of
    :class:`~itpm_course.engine.tools.ToolPick`), ``pick_ids``, ``message``, ``results`` (HTML).
    """

    def __init__(self) -> None:
        style = {"description_width": "110px"}
        self.picks: list[ToolPick] = []
        self.message = ""
        self.methodology = widgets.Dropdown(
            options=list(METHODOLOGIES), value="agile", description="Methodology", style=style
        )
        self.team_size = widgets.IntSlider(
            value=8, min=1, max=300, description="Team size", style=style, continuous_update=False
        )
        self.budget = widgets.Dropdown(
            options=list(BUDGETS), value="low", description="Budget", style=style
        )
        self.needs = widgets.SelectMultiple(
            options=[(n.replace("_", " "), n) for n in NEEDS],
            value=("agile_boards", "documentation"),
            rows=len(NEEDS),
            description="Needs",
            style=style,
        )
        self.max_tools = widgets.ToggleButtons(
            options=[2, 3], value=3, description="Core tools", style=style
        )
        self.results = widgets.HTML()
        for c in (self.methodology, self.team_size, self.budget, self.needs, self.max_tools):
            c.observe(lambda _change: self.update(), names="value")
        super().__init__(
            [
                widgets.HBox(
                    [
                        widgets.VBox(
                            [self.methodology, self.team_size, self.budget, self.max_tools]
                        ),
                        self.needs,
                    ]
                ),
                self.results,
            ]
        )
        self.update()

    @property
    def pick_ids(self) -> list[str]:
        return [p.id for p in self.picks]

    def update(self) -> None:
        """Recompute the short list from the controls."""
        if not self.needs.value:
            self.picks = []
            self.message = "Pick at least one need (hold Ctrl or Cmd to select several)."
            self.results.value = _box(self.message, ok=False)
            return
        try:
            self.picks = recommend_tools(
                self.methodology.value,
                int(self.team_size.value),
                self.budget.value,
                list(self.needs.value),
                max_tools=int(self.max_tools.value),
            )
        except ValueError as exc:
            self.picks = []
            self.message = f"Cannot recommend: {exc}"
            self.results.value = _box(self.message, ok=False)
            return
        self.message = "Learn these deeply: " + ", ".join(p.name for p in self.picks)
        rows = "".join(
            f"<tr><td><b>{html.escape(p.name)}</b></td><td>{html.escape(p.category)}</td>"
            f"<td>{html.escape('; '.join(p.reasons))}</td></tr>"
            for p in self.picks
        )
        self.results.value = (
            _box(self.message)
            + "<table style='margin-top:6px'><tr><th align='left'>Tool</th><th align='left'>Category</th>"
            f"<th align='left'>Why</th></tr>{rows}</table>"
        )


def tool_recommender() -> ToolRecommender:
    """Return a tool recommender widget (see :class:`ToolRecommender`)."""
    return ToolRecommender()


# --- LinkedIn headline builder ----------------------------------------------------------------

_NUMBER = re.compile(r"\d")
_CERT_WORDS = re.compile(
    r"\b(PMP|CAPM|PMI-ACP|PgMP|CSM|PSM|PRINCE2|ITIL|Project\+|SAFe|AWS|Azure|certified)\b",
    re.IGNORECASE,
)


def build_headline(
    role: str, specialty: str = "", skills: Any = (), accomplishment: str = ""
) -> str:
    """Return ``role | specialty | skill, skill | accomplishment`` with empty parts left out."""
    if isinstance(skills, str):
        skills = [s for s in (x.strip() for x in skills.split(",")) if s]
    sep = load_linkedin_guidance()["headline"]["separator"]
    parts = [
        str(role).strip(),
        str(specialty).strip(),
        ", ".join(s.strip() for s in skills),
        str(accomplishment).strip(),
    ]
    return sep.join(p for p in parts if p)


def headline_tips(headline: str, accomplishment: str = "") -> list[str]:
    """Return guidance for a headline: length limit, and the guide's elements that are missing."""
    tips = []
    n = len(headline)
    if not headline.strip():
        return ["Start with your role, e.g. 'IT Project Manager'."]
    if n > HEADLINE_MAX_CHARS:
        tips.append(
            f"Too long: {n} characters; LinkedIn allows {HEADLINE_MAX_CHARS}. Cut {n - HEADLINE_MAX_CHARS}."
        )
    if " | " not in headline:
        tips.append("Go beyond the job title: add your expertise, methods and the value you bring.")
    if not _NUMBER.search(accomplishment or headline):
        tips.append(
            "Add a number that shows scale or impact, such as a budget ($2M+), team size or time saved."
        )
    if not _CERT_WORDS.search(headline):
        tips.append("Name your certifications if you hold any (PMP, PRINCE2, CSM, ITIL...).")
    return tips


class HeadlineBuilder(widgets.VBox):
    """Role, specialty, skills and a measurable accomplishment in; a LinkedIn headline and tips out.

    Controls: ``role`` (Combobox with the guide's titles), ``specialty``, ``skills`` (comma-separated)
    and ``accomplishment`` (Text). Results: ``headline``, ``length``, ``fits`` (within
    :data:`HEADLINE_MAX_CHARS`), ``tips`` (list of strings), ``message`` and ``preview`` (HTML).
    """

    def __init__(self) -> None:
        self.guidance = load_linkedin_guidance()["headline"]
        style = {"description_width": "130px"}
        wide = widgets.Layout(width="560px")
        self.role = widgets.Combobox(
            options=load_titles()["title"].tolist(),
            value="IT Project Manager",
            description="Role",
            ensure_option=False,
            style=style,
            layout=wide,
        )
        self.specialty = widgets.Text(
            value="",
            description="Specialty",
            placeholder="e.g. Cloud Infrastructure",
            style=style,
            layout=wide,
        )
        self.skills = widgets.Text(
            value="",
            description="Skills / certs",
            placeholder="e.g. Agile, PMP, ITIL Certified",
            style=style,
            layout=wide,
        )
        self.accomplishment = widgets.Text(
            value="",
            description="Accomplishment",
            placeholder="e.g. $1.2M ERP migration 3 weeks early",
            style=style,
            layout=wide,
        )
        self.preview = widgets.HTML()
        self.headline = ""
        self.tips: list[str] = []
        self.message = ""
        for c in (self.role, self.specialty, self.skills, self.accomplishment):
            c.observe(lambda _change: self.update(), names="value")
        examples = "".join(
            "<li>" + html.escape(" | ".join([e["title"], *e["parts"]])) + "</li>"
            for e in self.guidance["examples"]
        )
        self.examples = widgets.HTML(
            _SECTION.format("Examples from the career guide") + f"<ul>{examples}</ul>"
        )
        super().__init__(
            [
                self.role,
                self.specialty,
                self.skills,
                self.accomplishment,
                self.preview,
                self.examples,
            ]
        )
        self.update()

    @property
    def length(self) -> int:
        return len(self.headline)

    @property
    def fits(self) -> bool:
        return self.length <= HEADLINE_MAX_CHARS

    def update(self) -> None:
        """Rebuild the headline and its tips from the controls."""
        self.headline = build_headline(
            self.role.value, self.specialty.value, self.skills.value, self.accomplishment.value
        )
        self.tips = headline_tips(self.headline, self.accomplishment.value)
        counter = f"{self.length}/{HEADLINE_MAX_CHARS} characters"
        self.message = (
            f"{self.headline} ({counter})" if self.headline else "Type your role to start."
        )
        tips = (
            "".join(f"<li>{html.escape(t)}</li>" for t in self.tips)
            or "<li>Looks strong. Check the keywords against your target job ads.</li>"
        )
        colour = "#2e7d32" if self.fits else "#D55E00"
        self.preview.value = (
            f"<div style='font-size:1.1em;padding:6px;border:1px solid #ccc'>{html.escape(self.headline)}</div>"
            f"<div style='color:{colour}'>{counter}</div>"
            + _SECTION.format("Tips")
            + f"<ul>{tips}</ul>"
        )


def headline_builder() -> HeadlineBuilder:
    """Return a LinkedIn headline builder widget (see :class:`HeadlineBuilder`)."""
    return HeadlineBuilder()


# --- interview practice -------------------------------------------------------------------------


def question_bank() -> list[dict[str, str]]:
    """Return every practice question: the guide's common questions plus the course's own."""
    guide = load_common_interview_questions().to_dict("records")
    for q in guide:
        q["source"] = "career guide"
    return guide + [dict(q, source="course") for q in PRACTICE_QUESTIONS]


def star_feedback(situation: str, task: str, action: str, result: str) -> list[str]:
    """Return feedback on a STAR answer: missing parts, an action without 'I', a result without a number."""
    parts = {"Situation": situation, "Task": task, "Action": action, "Result": result}
    notes = [
        f"{name} is empty: say {_STAR_HELP[name]}."
        for name, text in parts.items()
        if not str(text).strip()
    ]
    if str(action).strip() and not re.search(r"\b(I|I'm|I've|my)\b", action):
        notes.append("Action: say what *you* did ('I ...'), not only what 'we' did.")
    if str(result).strip() and not _NUMBER.search(result):
        notes.append("Result: add a measurable outcome (days saved, %, money, users).")
    words = sum(len(str(t).split()) for t in parts.values())
    if words and parts["Action"] and len(str(action).split()) < 0.3 * words:
        notes.append("Action should be the longest part: most of the answer is what you did.")
    return notes


_STAR_HELP = {
    "Situation": "where and when, in one or two sentences",
    "Task": "what you were responsible for",
    "Action": "the steps you took",
    "Result": "what changed, with a number",
}


class InterviewPractice(widgets.VBox):
    """Pick a category, get a question, answer in STAR parts, rate yourself, get feedback.

    Controls: ``category`` (Dropdown of the guide's five categories), ``next_question`` (Button),
    ``situation``, ``task``, ``action``, ``result`` (Textareas), ``rating`` (IntSlider 1-5),
    ``get_feedback`` (Button). Results: ``question`` (text), ``question_id``, ``feedback`` (list
    of notes; empty means a complete STAR answer), ``message``. Questions are drawn with a
    seeded random generator, so the same ``seed`` gives the same sequence.
    """

    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.bank = question_bank()
        cats = load_interview_categories()
        self._assesses = dict(zip(cats["id"], cats["assesses"], strict=True))
        self.steps = load_interview_guide()["answer_structure"]["steps"]
        self.category = widgets.Dropdown(
            options=list(zip(cats["name"], cats["id"], strict=True)), description="Category"
        )
        self.next_question = widgets.Button(description="New question", icon="refresh")
        self.question_box = widgets.HTML()
        area = widgets.Layout(width="640px", height="60px")
        self.situation = widgets.Textarea(description="Situation", layout=area)
        self.task = widgets.Textarea(description="Task", layout=area)
        self.action = widgets.Textarea(
            description="Action", layout=widgets.Layout(width="640px", height="100px")
        )
        self.result = widgets.Textarea(description="Result", layout=area)
        self.rating = widgets.IntSlider(value=3, min=1, max=5, description="Self-rating")
        self.get_feedback = widgets.Button(description="Check my answer", icon="check")
        self.feedback_box = widgets.HTML()
        self.question = ""
        self.question_id = ""
        self.feedback: list[str] = []
        self.message = ""
        self.category.observe(lambda _change: self.new_question(), names="value")
        self.next_question.on_click(lambda _button: self.new_question())
        self.get_feedback.on_click(lambda _button: self.check())
        super().__init__(
            [
                widgets.HBox([self.category, self.next_question]),
                self.question_box,
                self.situation,
                self.task,
                self.action,
                self.result,
                widgets.HBox([self.rating, self.get_feedback]),
                self.feedback_box,
            ]
        )
        self.new_question()

    def questions(self, category: str | None = None) -> list[dict[str, str]]:
        """Return the bank's questions in ``category`` (default: the selected one)."""
        category = category or self.category.value
        return [q for q in self.bank if q["category"] == category]

    def new_question(self) -> None:
        """Draw a question from the selected category (a different one when possible) and clear the answer."""
        pool = self.questions()
        if not pool:
            self.question, self.question_id = "", ""
            self.question_box.value = _box("No question in this category yet.", ok=False)
            return
        choices = [q for q in pool if q["id"] != self.question_id] or pool
        q = self.rng.choice(choices)
        self.question, self.question_id = q["question"], q["id"]
        for box in (self.situation, self.task, self.action, self.result):
            box.value = ""
        self.feedback, self.message = [], ""
        self.feedback_box.value = ""
        self.question_box.value = (
            f"<div style='font-size:1.1em;padding:6px'><b>{html.escape(self.question)}</b></div>"
            f"<div style='color:#666'>This category assesses: {html.escape(self._assesses[self.category.value])}"
            f" ({html.escape(q['source'])} question)</div>"
        )

    def check(self) -> list[str]:
        """Give feedback on the current STAR answer and the self-rating; return the notes."""
        self.feedback = star_feedback(
            self.situation.value, self.task.value, self.action.value, self.result.value
        )
        rating = int(self.rating.value)
        if not self.feedback:
            self.message = f"A complete STAR answer. You rated it {rating}/5."
            if rating <= 2:
                self.message += (
                    " The structure is there: practise saying it aloud until it feels natural."
                )
        else:
            self.message = f"{len(self.feedback)} thing(s) to improve. You rated it {rating}/5."
            if rating >= 4:
                self.message += " Compare your rating with the notes below: be a tough judge."
        items = "".join(f"<li>{html.escape(n)}</li>" for n in self.feedback)
        self.feedback_box.value = _box(self.message, ok=not self.feedback) + (
            f"<ul>{items}</ul>" if items else ""
        )
        return self.feedback


def interview_practice(seed: int | None = None) -> InterviewPractice:
    """Return an interview practice widget (see :class:`InterviewPractice`)."""
    return InterviewPractice(seed=seed)
