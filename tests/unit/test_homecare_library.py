"""The home-care library is clinic-editable data; what the plan editor and handout rely on."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk.plans import ConditionChoice, default_library_path, load_library

ISSUE_CONDITIONS = {
    "pinched_nerve", "sciatica", "carpal_tunnel", "neck_pain", "back_pain", "posture_tension",
}


def test_the_shipped_library_offers_every_condition_with_advice() -> None:
    library = load_library()
    assert {c.code for c in library.conditions} == ISSUE_CONDITIONS
    for cond in library.conditions:
        assert cond.title and cond.default_items, cond.code
    assert library.red_flags


def test_pinched_nerve_offers_cervical_and_lumbar_levels_and_a_side() -> None:
    cond = load_library().condition("pinched_nerve")
    assert cond is not None and cond.has_side
    assert "C5-C6" in cond.region("cervical").levels  # type: ignore[union-attr]
    assert "L4-L5" in cond.region("lumbar").levels  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("choice", "item", "words"),
    [
        (ConditionChoice("carpal_tunnel", side="right"), "wrist_brace", "at night"),
        (ConditionChoice("pinched_nerve", "cervical"), "no_neck_brace", "neck brace"),
        (ConditionChoice("neck_pain"), "desk_posture", "feet flat"),
        (ConditionChoice("sciatica"), "heat_or_ice", "10 to 15 minutes"),
        (ConditionChoice("back_pain"), "ice_in_towel", "towel"),
        (ConditionChoice("pinched_nerve", "lumbar"), "heat_for_nerve", "nerve pain"),
    ],
)
def test_defaults_carry_the_expected_advice(choice: ConditionChoice, item: str, words: str) -> None:
    library = load_library()
    assert item in library.default_items([choice])
    assert words in library.item_text(item)


def test_general_items_come_with_every_condition_once() -> None:
    library = load_library()
    items = library.default_items(["neck_pain", "back_pain"])
    assert len(items) == len(set(items))
    assert set(library.general_items) <= set(items)


def test_free_text_items_print_as_written() -> None:
    assert load_library().item_text("Walk for 10 minutes after lunch") == (
        "Walk for 10 minutes after lunch"
    )


def test_a_clinic_edit_to_the_file_is_used(tmp_path: Path) -> None:
    text = default_library_path().read_text(encoding="utf-8")
    edited = tmp_path / "library.toml"
    edited.write_text(
        text.replace(
            'text = "Rest well, and give your body time to recover between treatments."',
            'text = "Sleep 8 hours."',
        ),
        encoding="utf-8",
    )
    assert load_library(edited).item_text("rest") == "Sleep 8 hours."


def test_a_typo_in_the_library_is_one_clear_message(tmp_path: Path) -> None:
    text = default_library_path().read_text(encoding="utf-8")
    broken = tmp_path / "library.toml"
    broken.write_text(text.replace('general_items = ["stretches', 'general_items = ["strech'))
    with pytest.raises(ValueError, match="does not define: strech"):
        load_library(broken)
    broken.write_text("items = [")
    with pytest.raises(ValueError, match="not valid TOML"):
        load_library(broken)
    with pytest.raises(ValueError, match="Cannot read"):
        load_library(tmp_path / "missing.toml")
