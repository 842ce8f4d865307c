"""nbgrader configuration for the course: run nbgrader from the repository root.

    nbgrader generate_assignment scheduling      # solutions/scheduling -> assignments/scheduling

The gradebook (gradebook.db), submitted/, autograded/ and feedback/ are created beside this
file by the instructor's commands and are never committed.
"""

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "itpm-course"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"
# Only the notebook is released; the scripts that build solutions/ stay with the instructor.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "build_notebooks.py",
    "notebook_specs.py",
]

# Per cell: the Monte Carlo cells take a few seconds; 60 s stops a runaway loop without
# cutting off a slow but honest answer. The other cells of the notebook are still graded.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE: replace this line and the next with your answer\n"
    "raise NotImplementedError()"
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# A learner who deletes or edits a locked cell gets the instructor's version back.
c.OverwriteCells.add_missing_cells = True

# Feedback shows each test's call and message, never the hidden test code.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
