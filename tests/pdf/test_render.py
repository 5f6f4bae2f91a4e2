"""Rendered claim forms read back: content, embedded font, QR digest, pages, masking, bytes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pdf.claim_builders import make_claim
from tests.pdf.pdf_reading import decode_qr, fonts, have_zbar, page_texts
from zwdesk.domain.money import amount_in_words, format_yuan_grouped
from zwdesk.domain.privacy import mask_id_number, mask_name
from zwdesk.pdf import FormError, render_claim_pdf, render_claim_pdf_bytes

ROOT = Path(__file__).resolve().parents[2]


def flat(pages: list[str]) -> str:
    """All pages' text without line breaks (a cell may wrap)."""
    return "".join("".join(pages).split())


@pytest.fixture(scope="module")
def item2_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("forms") / "item2.pdf"
    return render_claim_pdf(make_claim(2, 60), path, kind="all")


@pytest.fixture(scope="module")
def big_roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("forms") / "roster1000.pdf"
    return render_claim_pdf(make_claim(2, 1000, number="2025-中宁-T2-017"), path, kind="roster")


def test_application_and_roster_carry_every_person_amount_and_total(item2_pdf: Path) -> None:
    claim = make_claim(2, 60)
    pages = page_texts(item2_pdf)
    text = flat(pages)
    for line in claim.lines:
        assert line.name in text
        assert line.worker is not None and line.worker in text
    amounts = {format_yuan_grouped(line.amount) for line in claim.lines}
    assert all(amount in text for amount in amounts)
    total = format_yuan_grouped(claim.total)
    assert total == "36,000.00"  # 40 × 800 + 20 × 200
    assert text.count(total) >= 3  # application, roster total, notice
    assert text.count(amount_in_words(claim.total)) >= 3
    assert "人民币叁万陆仟元整" in text
    assert claim.clause_quote.replace(" ", "") in text
    for block in ("经办人（签字）", "单位负责人（签字）", "单位盖章", "日期", "本人签字"):
        assert block in text


def test_every_font_is_embedded_truetype(item2_pdf: Path) -> None:
    used = fonts(item2_pdf)
    assert used
    for name, kind, embedded in used:
        assert kind == "TrueType", name
        assert embedded == "yes", name
    assert b"STSong-Light" not in item2_pdf.read_bytes()
    assert b"/FontFile2" in item2_pdf.read_bytes()


@pytest.mark.skipif(not have_zbar(), reason="zbarimg not installed (apt-get install zbar-tools)")
def test_first_page_qr_decodes_to_the_claim_digest(item2_pdf: Path, tmp_path: Path) -> None:
    assert decode_qr(item2_pdf, tmp_path, page=1) == [make_claim(2, 60).digest]


def test_each_form_numbers_its_own_pages(item2_pdf: Path) -> None:
    pages = page_texts(item2_pdf)
    footers = [re.findall(r"第(\d+)页/共(\d+)页", page) for page in pages]
    assert all(len(found) == 1 for found in footers)
    numbers = [(int(page), int(total)) for [(page, total)] in footers]
    # application 1 page, roster and notice restart at 1 with their own totals
    assert numbers[0] == (1, 1)
    restarts = [index for index, (page, _) in enumerate(numbers) if page == 1]
    assert len(restarts) == 3
    for start, end in zip(restarts, [*restarts[1:], len(numbers)], strict=True):
        section = numbers[start:end]
        assert section == [(n, len(section)) for n in range(1, len(section) + 1)]
    assert all("申领编号：2025-海原-T2-002" in page for page in pages)


def test_thousand_row_roster_paginates_with_header_on_every_page(big_roster: Path) -> None:
    claim = make_claim(2, 1000, number="2025-中宁-T2-017")
    pages = page_texts(big_roster)
    assert len(pages) > 20
    for number, page in enumerate(pages, start=1):
        assert f"第{number}页/共{len(pages)}页" in page
        assert "申领编号：2025-中宁-T2-017" in page
        if not re.search(r"\d{17}[\dX]", page):
            continue  # the sign-off block may start a page of its own
        for header in ("序号", "姓名", "身份证号", "金额（元）", "本人签字（按手印）"):
            assert header in page, (number, header)
    text = flat(pages)
    assert all(line.worker is not None and line.worker in text for line in claim.lines)
    serials = [int(s) for s in re.findall(r"^(\d{1,4})$", "\n".join(pages), re.MULTILINE)]
    assert set(range(1, 1001)) <= set(serials)
    assert "合计（人）（1000）" in text
    tail = flat(pages[-1:])
    assert amount_in_words(claim.total) in tail and "经办人（签字）" in tail


def test_public_notice_shows_only_masked_names_and_ids(tmp_path: Path) -> None:
    claim = make_claim(3, 40)
    path = render_claim_pdf(claim, tmp_path / "notice.pdf", kind="notice")
    text = flat(page_texts(path))
    assert "公示" in text
    for line in claim.lines:
        assert line.worker is not None
        assert line.worker not in text
        assert line.name not in text
        assert mask_id_number(line.worker) in text
        assert mask_name(line.name) in text
    assert amount_in_words(claim.total) in text


@pytest.mark.parametrize("item", range(1, 7))
def test_every_item_prints_its_forms(item: int, tmp_path: Path) -> None:
    claim = make_claim(item, 12)
    path = render_claim_pdf(claim, tmp_path / f"item{item}.pdf")
    text = flat(page_texts(path))
    assert claim.number in text
    assert amount_in_words(claim.total) in text
    assert f"¥{format_yuan_grouped(claim.total)}元" in text
    for reason in claim.lines[0].explanation if item in (1, 4, 6) else ():
        assert reason.replace(" ", "") in text


def test_same_claim_twice_gives_identical_bytes_even_in_another_process() -> None:
    claim = make_claim(5, 30)
    first = render_claim_pdf_bytes(claim)
    assert render_claim_pdf_bytes(claim) == first
    script = (
        "import sys; from tests.pdf.claim_builders import make_claim; "
        "from zwdesk.pdf import render_claim_pdf_bytes; "
        "sys.stdout.buffer.write(render_claim_pdf_bytes(make_claim(5, 30)))"
    )
    other = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, check=True
    ).stdout
    assert other == first


def test_a_different_claim_gives_a_different_digest_and_pdf() -> None:
    one, two = make_claim(2, 5), make_claim(2, 6)
    assert one.digest != two.digest
    assert render_claim_pdf_bytes(one, kind="application") != render_claim_pdf_bytes(
        two, kind="application"
    )


def test_a_form_the_item_does_not_have_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FormError, match="第1项没有“花名册”"):
        render_claim_pdf(make_claim(1), tmp_path / "x.pdf", kind="roster")
    assert not (tmp_path / "x.pdf").exists()


def test_names_with_markup_characters_print_verbatim(tmp_path: Path) -> None:
    claim = make_claim(1)
    claim = type(claim)(
        **{
            **{name: getattr(claim, name) for name in claim.__dataclass_fields__},
            "organisation_name": "A&B <劳务> 工作站",
        }
    )
    path = render_claim_pdf(claim, tmp_path / "odd.pdf", kind="application")
    assert "A&B<劳务>工作站" in flat(page_texts(path))
