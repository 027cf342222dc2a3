from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mangaassist.evaluation.golden import GoldenError, load_cases, parse_case, select


def case(**over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "faq-en-001",
        "lang": "en",
        "customer": "guest",
        "turns": ["what is your return policy?"],
        "expect": {"intent": "faq", "any_of": [["30 days", "30日"]]},
    }
    return base | over


def write(folder: Path, name: str, cases: list[dict[str, object]]) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(cases, allow_unicode=True), encoding="utf-8")
    return path


def test_a_case_round_trips_through_yaml(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", [case(tags=["typo"], customer="C10001")])
    (loaded,) = load_cases([tmp_path])
    assert loaded.customer == "C10001"
    assert loaded.expect.any_of == (("30 days", "30日"),)
    assert parse_case(loaded.as_yaml_dict(), "x") == loaded
    assert len(loaded.fingerprint()) == 16


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"lang": "fr"}, "'lang' must be one of"),
        ({"customer": "bob"}, "'customer' must be 'guest'"),
        ({"turns": []}, "'turns' needs at least one message"),
        ({"expect": {"intent": "weather"}}, "expect.intent must be one of"),
        ({"expect": {"intent": "faq", "any_of": [[]]}}, "an 'any_of' group is empty"),
        ({"expect": {"intent": "faq", "cards": "yes"}}, "'cards' must be true or false"),
        ({"expect": {"intent": "faq", "must": ["x"]}}, "unknown expect keys"),
        ({"reconnect_before_last": True}, "needs at least two turns"),
        ({"colour": "red"}, "unknown keys"),
        ({"id": "has space"}, "'id' must be a short identifier"),
    ],
)
def test_bad_cases_name_file_case_and_problem(
    tmp_path: Path, override: dict[str, object], message: str
) -> None:
    write(tmp_path, "bad.yaml", [case(**override)])
    with pytest.raises(GoldenError, match=message) as info:
        load_cases([tmp_path])
    assert "bad.yaml#1" in str(info.value)


def test_duplicate_ids_across_files_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", [case()])
    write(tmp_path, "b.yaml", [case()])
    with pytest.raises(GoldenError, match=r"already used in a\.yaml"):
        load_cases([tmp_path])


def test_not_a_list_and_no_files(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("id: 1\n", encoding="utf-8")
    with pytest.raises(GoldenError, match="a YAML list of cases"):
        load_cases([tmp_path])
    with pytest.raises(GoldenError, match="no such file or folder"):
        load_cases([tmp_path / "missing"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(GoldenError, match="no golden case files"):
        load_cases([tmp_path / "empty"])


def test_select_filters_by_intent_language_tag_and_id(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yaml",
        [
            case(),
            case(id="rec-ja-001", lang="ja", expect={"intent": "recommendation"}, tags=["romaji"]),
        ],
    )
    cases = load_cases([tmp_path])
    assert [c.case_id for c in select(cases, intents=["recommendation"])] == ["rec-ja-001"]
    assert [c.case_id for c in select(cases, languages=["en"])] == ["faq-en-001"]
    assert [c.case_id for c in select(cases, tags=["romaji"])] == ["rec-ja-001"]
    assert [c.case_id for c in select(cases, ids=["faq-en-001"])] == ["faq-en-001"]
