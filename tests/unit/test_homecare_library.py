"""The home-care library is clinic-editable data; what the plan editor and handout rely on."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk.plans import ConditionChoice, default_library_path, load_library

ISSUE_CONDITIONS = {
    "pinched_nerve",
    "sciatica",
    "carpal_tunnel",
    "neck_pain",
    "back_pain",
    "posture_tension",
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
    with pytest.raises(ValueError, match="cannot be read"):
        load_library(tmp_path / "missing.toml")


# -- a broken file is one message naming the file, the line and the field ----------------------
def _shipped_lines() -> list[str]:
    return default_library_path().read_text(encoding="utf-8").splitlines(keepends=True)


def _without_sections(prefix: str) -> list[str]:
    """The shipped file with every section whose header starts with ``prefix`` removed."""
    out: list[str] = []
    skipping = False
    for line in _shipped_lines():
        if line.startswith("["):
            skipping = line.startswith(prefix)
        if not skipping:
            out.append(line)
    return out


def _with_top_line(lines: list[str], extra: str) -> tuple[str, int]:
    at = next(i for i, line in enumerate(lines) if line.startswith("version")) + 1
    return "".join([*lines[:at], extra + "\n", *lines[at:]]), at + 1


def broken_libraries(folder: Path) -> dict[str, tuple[Path, int, str, str]]:
    """The three broken files of issue 13: path, expected line, field and words."""
    out = {}
    text, line = _with_top_line(_without_sections("[items."), "items = 5")
    (folder / "items5.toml").write_text(text, encoding="utf-8")
    out["items = 5"] = (folder / "items5.toml", line, "items", "should be a table of advice")
    raw = default_library_path().read_bytes()
    marker = b'text = "Rest well'
    latin1 = raw.replace(marker, b'text = "Repos bien, caf\xe9. Rest well')
    (folder / "latin1.toml").write_bytes(latin1)
    line = raw[: raw.index(marker)].count(b"\n") + 1
    out["Latin-1 byte"] = (folder / "latin1.toml", line, "", "byte 0xE9 is not UTF-8")
    text, line = _with_top_line(_without_sections("[[conditions]]"), "conditions = []")
    (folder / "noconds.toml").write_text(text, encoding="utf-8")
    out["conditions = []"] = (folder / "noconds.toml", line, "conditions", "lists no conditions")
    return out


@pytest.mark.parametrize("case", ["items = 5", "Latin-1 byte", "conditions = []"])
def test_a_broken_library_names_file_line_and_field(tmp_path: Path, case: str) -> None:
    from frontdesk.plans.library import LibraryError

    path, line, field, words = broken_libraries(tmp_path)[case]
    with pytest.raises(LibraryError) as exc:
        load_library(path)
    message = str(exc.value)
    assert message.startswith(f"The home-care library {path}, line {line}: "), message
    assert words in message and exc.value.field == field
    if field:
        assert f"{field}:" in message


def test_a_wrong_type_deep_in_the_file_names_that_field(tmp_path: Path) -> None:
    from frontdesk.plans.library import LibraryError

    text = default_library_path().read_text(encoding="utf-8")
    broken = tmp_path / "library.toml"
    broken.write_text(text.replace("has_side = true", 'has_side = "yes"', 1), encoding="utf-8")
    with pytest.raises(LibraryError, match=r"conditions #1\.has_side: should be true or false"):
        load_library(broken)
