"""Image-wide nbgrader configuration (/etc/jupyter/nbgrader_config.py) for learners and instructors.

The exchange is the shared volume config.yaml mounts; the course id and paths come from the
environment the hub sets, so one image serves several courses.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = os.environ.get("ITPM_COURSE_ID", "itpm-course")
c.Exchange.root = os.environ.get("ITPM_EXCHANGE_ROOT", "/srv/nbgrader/exchange")
c.Exchange.path_includes_course = True
