"""The JupyterHub recipe in docs/deploy/: files parse, agree with each other, the hook behaves."""

from __future__ import annotations

import re
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "docs" / "deploy"
EXCHANGE = "/srv/nbgrader/exchange"


@pytest.fixture(scope="module")
def values():
    return yaml.safe_load((DEPLOY / "config.yaml").read_text())


def test_dockerfile_installs_this_package_with_the_pins():
    text = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^FROM \S+", text, re.M)
    assert re.search(r"pip install[^\n]*-c constraints\.txt \.", text)  # this package
    assert "psycopg[binary]" in text
    # Every COPY source exists in the repository (the build context is the repo root).
    for line in re.findall(r"^COPY (?:--\S+ )*(.+)$", text, re.M):
        *sources, _dest = line.split()
        for src in sources:
            assert (ROOT / src).exists(), f"COPY {src}: not in the repository"
    assert not re.search(r"^COPY .*solutions", text, re.M), "solutions must not be in the image"
    assert "/etc/jupyter/nbgrader_config.py" in text and EXCHANGE in text


def test_image_nbgrader_config_loads(monkeypatch):
    from traitlets.config import Config

    monkeypatch.delenv("ITPM_EXCHANGE_ROOT", raising=False)
    c = runpy.run_path(str(DEPLOY / "nbgrader_config.py"), init_globals={"get_config": Config})["c"]
    assert c.Exchange.root == EXCHANGE and c.CourseDirectory.course_id == "itpm-course"


def test_z2jh_values(values):
    single = values["singleuser"]
    assert single["image"]["name"] and str(single["image"]["tag"])
    mounts = {m["name"]: m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    claims = {
        v["name"]: v["persistentVolumeClaim"]["claimName"]
        for v in single["storage"]["extraVolumes"]
    }
    assert mounts["nbgrader-exchange"] == EXCHANGE
    pvcs = [d for d in yaml.safe_load_all((DEPLOY / "exchange-pvc.yaml").read_text()) if d]
    by_name = {d["metadata"]["name"]: d for d in pvcs}
    assert claims["nbgrader-exchange"] in by_name
    assert all("ReadWriteMany" in d["spec"]["accessModes"] for d in pvcs)
    assert single["extraEnv"]["ITPM_EXCHANGE_ROOT"] == EXCHANGE
    hub = values["hub"]
    assert hub["config"]["JupyterHub"]["authenticator_class"]
    roles = hub["loadRoles"]["instructors"]
    assert roles["groups"] == ["instructors"]
    for snippet in hub["extraConfig"].values():
        compile(snippet, "extraConfig", "exec")


def _hook(values):
    from traitlets.config import Config

    c = Config()
    ns = {"c": c}
    for name in sorted(values["hub"]["extraConfig"]):
        exec(values["hub"]["extraConfig"][name], ns)  # noqa: S102 - our own config snippets
    return c


def _spawner(groups):
    return SimpleNamespace(
        user=SimpleNamespace(groups=[SimpleNamespace(name=g) for g in groups]),
        environment={},
        volumes=[],
        volume_mounts=[],
        lifecycle_hooks={},
    )


def test_groups_and_spawn_hook_keep_the_gradebook_from_learners(values):
    c = _hook(values)
    assert set(c.JupyterHub.load_groups) == {"instructors", "students"}
    hook = c.KubeSpawner.pre_spawn_hook
    teacher, learner = _spawner(["instructors"]), _spawner(["students"])
    hook(teacher)
    hook(learner)
    secret = teacher.environment["ITPM_GRADEBOOK_URL"]["valueFrom"]["secretKeyRef"]
    readme = (DEPLOY / "README.md").read_text()
    assert (
        f"create secret generic {secret['name']}" in readme
        and f"--from-literal={secret['key']}=" in readme
    )
    assert "ITPM_GRADEBOOK_URL" not in learner.environment
    assert learner.volumes == [] and learner.lifecycle_hooks == {}
    assert teacher.volume_mounts[0]["mountPath"] == teacher.environment["ITPM_COURSE_DIR"]
    claim = teacher.volumes[0]["persistentVolumeClaim"]["claimName"]
    assert claim in (DEPLOY / "exchange-pvc.yaml").read_text()
    assert "formgrader" in " ".join(teacher.lifecycle_hooks["postStart"]["exec"]["command"])
    for spawner in (teacher, learner):
        assert spawner.environment["ITPM_EXCHANGE_ROOT"] == EXCHANGE


def test_readme_commands_exist():
    from itpm_course.cli import build_parser

    readme = (DEPLOY / "README.md").read_text()
    parser = build_parser()
    for line in re.findall(r"^\s*(itpm-course instructor [^\n#\\]+)", readme, re.M):
        args = line.split()[1:]
        if args[1] == "init":
            args += ["--solutions", "x"] if "--solutions" not in args else []
        parsed = parser.parse_args(args)  # raises SystemExit on an unknown option
        assert parsed.func is not None
