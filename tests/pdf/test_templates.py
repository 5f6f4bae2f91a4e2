"""Form templates: every shipped file loads; a misspelt key or placeholder is an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from zwdesk.pdf import TemplateError, available_forms, load_template
from zwdesk.pdf.paths import forms_dir

PER_PERSON = {2, 3, 5}


def test_every_shipped_template_loads_and_is_named_for_its_form() -> None:
    files = sorted(forms_dir().glob("*.toml"))
    assert len(files) == 12
    for path in files:
        item, kind = path.stem.removeprefix("item").split("-")
        template = load_template(int(item), kind)
        assert (template.item, template.form) == (int(item), kind)


@pytest.mark.parametrize("item", range(1, 7))
def test_per_person_items_have_roster_and_notice(item: int) -> None:
    expected = ["application", "roster", "notice"] if item in PER_PERSON else ["application"]
    assert available_forms(item) == expected


def _copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (forms_dir() / name).read_text(encoding="utf-8")
    assert old in text
    (tmp_path / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("item2-roster.toml", "row_height_mm", "row_hieght_mm", "row_hieght_mm"),
        ("item2-application.toml", "{total_words}", "{total_wrods}", "total_wrods"),
        ("item2-notice.toml", 'source = "id_masked"', 'source = "id_number"', "脱敏"),
        ("item2-roster.toml", 'source = "signature"', 'source = "subject"', "签字"),
        ("item2-roster.toml", "第{page}页/共{pages}页", "第{page}页", "页码"),
        ("item2-application.toml", "item = 2", "item = 3", "文件名"),
        ("item2-application.toml", 'form = "application"', "form = application", "TOML"),
    ],
)
def test_a_bad_template_is_an_error_naming_the_problem(
    tmp_path: Path, name: str, old: str, new: str, message: str
) -> None:
    directory = _copy(tmp_path, name, old, new)
    kind = name.removesuffix(".toml").split("-")[1]
    with pytest.raises(TemplateError, match=message):
        load_template(2, kind, directory)


def test_a_missing_template_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="找不到"):
        load_template(2, "roster", tmp_path)
