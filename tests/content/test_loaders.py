"""Loader behaviour: fresh copies, certification facts with sources, errors."""

from __future__ import annotations

import pytest

from itpm_course import content


def test_loaders_return_fresh_copies():
    df = content.load_titles()
    df.loc[0, "title"] = "changed"
    assert content.load_titles().loc[0, "title"] == "IT Project Coordinator"
    d = content.load_education()
    d["degree_mandatory"] = True
    assert content.load_education()["degree_mandatory"] is False


def test_every_certification_fact_group_has_source_date_confidence():
    for cid in content.load_certifications()["id"]:
        cert = content.get_certification(cid)
        for group in ("rules", "exam", "cost_usd", "renewal"):
            facts = cert[group]
            assert facts["source"], (cid, group)
            assert facts["checked"] == "2026-11-26", (cid, group)
            assert facts["confidence"] in {"V", "M", "L"}, (cid, group)
            for conflict in facts.get("conflicts") or []:
                assert conflict["confidence"] in {"V", "M", "L"}


def test_certification_key_facts():
    certs = content.load_certifications().set_index("id")
    assert certs.loc["pmp", "exam_questions"] == 180 and certs.loc["pmp", "exam_minutes"] == 230
    assert certs.loc["capm", "exam_questions"] == 150
    assert certs.loc["psm-i", "lifetime"] and certs.loc["comptia-project-plus", "lifetime"]
    assert certs.loc["csm", "renewal_years"] == 2
    assert certs.loc["itil4-foundation", "pass_mark"].startswith("65%")
    pmp = content.get_certification("pmp")
    exp = pmp["rules"]["experience"][0]
    assert exp["months_by_education"]["bachelor"] == 36
    assert exp["months_by_education"]["secondary"] == 60
    assert exp["months_gac"] == 24 and exp["window_years"] == 8
    assert pmp["rules"]["training"] == {"kind": "pm", "hours": 35, "substitutes": ["capm"]}
    # conflicting PMP non-member fee kept with its confidence
    assert any("675" in c["value"] for c in pmp["cost_usd"]["conflicts"])
    assert pmp["cost_usd"]["confidence"] == "L"


def test_roadmap_uses_known_ids():
    ids = set(content.load_certifications()["id"])
    roadmap = content.load_certification_roadmap()
    assert list(roadmap) == list(content.STAGE_IDS)
    assert {c for cs in roadmap.values() for c in cs} <= ids


def test_unknown_certification_names_the_field():
    with pytest.raises(ValueError, match="cert_id: unknown certification 'pmx'"):
        content.get_certification("pmx")


def test_unknown_data_file_names_the_field():
    with pytest.raises(ValueError, match="name: unknown data file"):
        content.data_file_text("../../etc/passwd")


def test_every_declared_data_file_ships():
    for name in content.DATA_FILES:
        assert content.data_file_text(name).strip()
