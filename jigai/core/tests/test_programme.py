"""The programme's figures: dated parameters read through the policy's loader, overridable per installation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from jigai.core import programme
from jigai.policy.params import OverrideError


def test_the_targets_of_a_programme_year_are_the_text_of_2_1_and_2_2():
    t = programme.targets(2019)
    assert (t.industrial_growth, t.tech_growth, t.projects_per_year) == (
        Fraction(15, 100),
        Fraction(1, 5),
        100,
    )
    assert (t.coverage, t.champions_per_year, t.demonstrations_per_year) == (1, 10, 10)
    assert (t.years, t.base_year) == ((2018, 2019, 2020), 2017)
    assert [t.quota(c) for c in ("GXQ", "422801", "422802", "422822", "422828", "NONE")] == [
        15,
        15,
        15,
        10,
        10,
        0,
    ]
    assert sum(t.unit_quotas.values()) == 105
    assert {u.clause for u in t.used} == {"2.1", "2.1.a", "2.1.b", "2.1.c", "2.2.a", "2.2.b"}


def test_the_ranking_rules_are_the_text_of_4_3_and_readings_10_to_12():
    r = programme.ranking_rules(2019)
    assert (r.basis, r.bottom_count, r.library_gap) == ("cumulative", 2, Fraction(1, 2))
    assert r.interview_levels == {"quarter": "deputy", "half_year": "principal"}
    assert programme.deadline_day(2019) == 5


def test_after_the_programme_the_last_programmes_figures_apply_and_say_which_period():
    used = programme.figure("2.1.b.projects_per_year", 2026)
    assert (used.raw, used.start, used.end, used.clause) == (
        100,
        dt.date(2018, 1, 1),
        dt.date(2020, 12, 31),
        "2.1.b",
    )
    assert programme.deadline_day(2026) == 5 and programme.deadline_day(2017) == 5


def test_an_installation_overrides_a_figure_for_every_year_or_for_one(settings):
    settings.JIGAI_PROGRAMME_OVERRIDES = ["4.3.bottom_count=3", "2.1.a.tech_growth@2020=25%"]
    assert programme.ranking_rules(2019).bottom_count == 3
    assert programme.value("2.1.a.tech_growth", 2019) == Decimal("0.2")
    assert programme.value("2.1.a.tech_growth", 2020) == Decimal("0.25")
    settings.JIGAI_PROGRAMME_OVERRIDES = []
    assert programme.ranking_rules(2019).bottom_count == 2


def test_a_bad_override_names_the_parameter(settings):
    settings.JIGAI_PROGRAMME_OVERRIDES = ["4.3.interview_levels=quarter:boss,half_year:principal"]
    with pytest.raises(OverrideError, match=r"4\.3\.interview_levels"):
        programme.ranking_rules(2019)


def test_the_system_check_reports_a_bad_override_and_a_former_setting(settings):
    assert programme.check_settings() == []
    settings.JIGAI_PROGRAMME_OVERRIDES = ["4.3.bottom_count=two"]
    settings.JIGAI_DISPATCH_LIBRARY_GAP = "0.3"
    found = {m.id: m.msg for m in programme.check_settings()}
    assert set(found) == {"jigai.E101", "jigai.W101"}
    assert "4.3.bottom_count" in found["jigai.E101"] and "4.3.library_gap_share" in found["jigai.W101"]
