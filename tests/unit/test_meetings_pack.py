"""The meeting pack read back: page numbers, marking, item labels, outline targets, restricted papers,
watermarks, rotated pages, determinism and version 2's change list."""

from __future__ import annotations

import io
from datetime import date

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import InvalidInput
from app.meetings.copies import stamp_copy
from app.meetings.pack import (
    ItemSource,
    PackInput,
    PaperSource,
    build_pack,
    check_paper_pdf,
)
from app.meetings.stamping import upright_matrix
from tests.helpers.meetings_corpus import chart_report, paper_pdf
from tests.helpers.meetings_pdf import outline, page_texts, text_boxes


def small_pack(version: int = 1, *, late: bytes | None = None) -> PackInput:
    return PackInput(
        "Quality Assurance subgroup",
        "QA-2026-03-12",
        date(2026, 3, 12),
        "10:00",
        "Civic Centre",
        "Dr Helen Marsh",
        version,
        f"QA-2026-03-12-v{version}",
        [
            ItemSource(1, "Apologies and minutes", "Chair", "decision", 5),
            ItemSource(
                2,
                "Data report",
                "Analyst",
                "information",
                15,
                papers=[
                    PaperSource(
                        "Performance charts", "report", key="r1", flowables=chart_report("Performance", 1, 3, rows=60)
                    )
                ],
            ),
            ItemSource(
                3,
                "Agency paper",
                "Police",
                "discussion",
                15,
                papers=[
                    PaperSource(
                        "Police update",
                        "file",
                        key="f1",
                        sha256="a",
                        pdf=late or paper_pdf("Police update", 4, rotate_every=2),
                    )
                ],
            ),
            ItemSource(
                4,
                "Case audit",
                "CSC",
                "decision",
                20,
                restricted=True,
                papers=[
                    PaperSource(
                        "Named case audit",
                        "file",
                        key="f2",
                        sha256="b",
                        pdf=paper_pdf("Named case audit", 2, marker="CHILD-P-DETAILS"),
                    )
                ],
            ),
        ],
    )


@pytest.fixture(scope="module")
def built():
    return build_pack(small_pack())


def test_every_page_is_marked_numbered_and_labelled_with_its_item(built) -> None:
    texts = page_texts(built.full.content)
    total = len(texts)
    assert total == built.full.page_count
    for number, text in enumerate(texts, start=1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2, number
        assert f"Page {number} of {total}" in text
        item = built.full.page_items[number - 1]
        if item:
            assert f"Item {item}" in text


def test_agenda_and_outline_point_at_each_items_first_page(built) -> None:
    texts = page_texts(built.full.content)
    entries = outline(built.full.content)
    titles = [title for _depth, title, _page in entries]
    assert titles[:3] == ["Cover", "Agenda", "Contents"]
    for number in (2, 3, 4):
        start = built.full.item_pages[number]
        entry = next(e for e in entries if e[1].startswith(f"Item {number}:"))
        assert entry[2] == start
        assert f"Item {number}" in texts[start - 1]
    police = next(e for e in entries if e[1] == "Police update")
    assert police[0] == 1 and "Police update - page 1" in texts[police[2] - 1]
    agenda = texts[1]
    assert "Agency paper" in agenda and str(built.full.item_pages[3]) in agenda


def test_uncleared_variant_leaves_restricted_papers_out(built) -> None:
    assert built.open is not None
    full_text = "\n".join(page_texts(built.full.content))
    open_text = "\n".join(page_texts(built.open.content))
    assert "CHILD-P-DETAILS" in full_text
    assert "CHILD-P-DETAILS" not in open_text and "Case audit" not in open_text
    assert "restricted item, papers to members only" in open_text
    assert all(title != "Named case audit" for _d, title, _p in outline(built.open.content))
    assert built.open.page_count == built.full.page_count - 2


def test_recipient_copy_carries_the_watermark_on_every_page_and_can_be_encrypted(built) -> None:
    copy = stamp_copy(
        built.open.content, "Grace Adeyemi", date(2026, 3, 5), "QA-2026-03-12-v1", passphrase="a long pdf passphrase"
    )
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(copy))
    with pikepdf.open(io.BytesIO(copy), password="a long pdf passphrase") as pdf:
        assert pdf.encryption.R == 6 and "aesv3" in str(pdf.encryption.stream_method).lower()
    texts = page_texts(copy, "a long pdf passphrase")
    assert len(texts) == built.open.page_count
    line = "Copy for Grace Adeyemi, 05/03/2026, pack QA-2026-03-12-v1"
    assert all(line in text for text in texts)
    assert "Grace Adeyemi" in texts[0].split("Recipient:")[1]


def test_rotated_pages_get_upright_furniture(built) -> None:
    """Rendered as a viewer shows them, rotated pages carry the red marking centred along the top and bottom."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(built.full.content)
    try:
        rotated = [i for i in range(len(document)) if document[i].get_rotation()]
        assert rotated
        for index in rotated:
            image = document[index].render(scale=0.5).to_pil().convert("RGB")
            width, height = image.size
            assert (width > height) == (document[index].get_rotation() in (90, 270))  # portrait paper turned
            for band in (range(0, int(height * 0.06)), range(int(height * 0.94), height)):
                red = [
                    x
                    for y in band
                    for x in range(width)
                    if (lambda p: p[0] > 150 and p[1] < 90 and p[2] < 90)(image.getpixel((x, y)))
                ]
                assert red, (index, band)
                assert abs((min(red) + max(red)) / 2 - width / 2) < width * 0.05
    finally:
        document.close()


def test_same_inputs_give_the_same_bytes(built) -> None:
    again = build_pack(small_pack())
    assert again.full.content == built.full.content
    assert again.open.content == built.open.content
    first = stamp_copy(built.full.content, "A", date(2026, 3, 5), "P")
    assert first == stamp_copy(built.full.content, "A", date(2026, 3, 5), "P")


def test_version_two_lists_what_changed_first() -> None:
    from app.meetings.issue import change_list, manifest_of

    first = small_pack()
    one = build_pack(first)
    before = manifest_of(first, one.paper_hashes)
    late = paper_pdf("Police update, corrected", 5)
    second = small_pack(2, late=late)
    second.items[2].papers[0].sha256 = "changed"
    two = build_pack(second, lambda hashes: change_list(before, manifest_of(second, hashes)))
    assert second.changes == ["Item 3: paper replaced: Police update"]
    texts = page_texts(two.full.content)
    assert "What changed since version 1" in texts[1] and "Police update" in texts[1]
    assert outline(two.full.content)[1][1] == "What changed since version 1"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"hello", "is not a PDF"),
        (b"", "^paper.pdf is empty"),
        (b"\n \n", "^paper.pdf is empty"),
        (b"%PDF-1.4\n%%EOF garbage", "damaged PDF"),
    ],
)
def test_bad_papers_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_paper_pdf(data, "paper.pdf")


def test_encrypted_paper_is_refused() -> None:
    pdf = pikepdf.open(io.BytesIO(paper_pdf("x", 1)))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="o" * 12, user="", R=6))
    with pytest.raises(InvalidInput, match="encrypted PDF"):
        check_paper_pdf(out.getvalue(), "locked.pdf")


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([0, 90, 180, 270]),
    st.floats(-500, 500),
    st.floats(-500, 500),
    st.floats(50, 2000),
    st.floats(50, 2000),
)
def test_upright_corners_land_on_the_page_box(rotate: int, x0: float, y0: float, width: float, height: float) -> None:
    a, b, c, d, e, f = upright_matrix(x0, y0, width, height, rotate)
    upright_w, upright_h = (height, width) if rotate in (90, 270) else (width, height)
    corners = {
        (round(a * x + c * y + e, 6), round(b * x + d * y + f, 6))
        for x, y in ((0, 0), (upright_w, 0), (0, upright_h), (upright_w, upright_h))
    }
    expected = {(round(x, 6), round(y, 6)) for x in (x0, x0 + width) for y in (y0, y0 + height)}
    assert corners == expected
    # the upright bottom-left corner is where a viewer turning the page by `rotate` puts it
    bottom_left = (round(e, 6), round(f, 6))
    assert (
        bottom_left
        == {
            0: (round(x0, 6), round(y0, 6)),
            90: (round(x0 + width, 6), round(y0, 6)),
            180: (round(x0 + width, 6), round(y0 + height, 6)),
            270: (round(x0, 6), round(y0 + height, 6)),
        }[rotate]
    )


def test_a_version_issued_again_unchanged_counts_no_change() -> None:
    """The pack table said '1' change beside 'No paper changed; this version was issued again'."""
    from app.meetings.issue import NOTHING_CHANGED, change_count, change_list, manifest_of

    pack = small_pack()
    same = manifest_of(pack, build_pack(pack).paper_hashes)
    assert change_list(same, same) == [NOTHING_CHANGED]
    assert change_count(change_list(same, same)) == 0
    assert change_count(["Item 3: paper replaced: Police update"]) == 1 and change_count(None) == 0


def test_front_matter_bookmarks_point_at_where_each_part_starts_when_it_runs_over_pages() -> None:
    """A change list or an agenda over one page: the Agenda bookmark opened the change list's second page and
    Contents the contents' last page (they were counted as one page each). Every contents line is checked too."""
    items = [
        ItemSource(
            n,
            f"Item {n} on multi-agency quality assurance",
            "Chair",
            "decision",
            10,
            False,
            [PaperSource(f"Paper number {n}", "file", pdf=paper_pdf(f"Paper {n} text", 1), key=str(n))],
        )
        for n in range(1, 61)
    ]
    changes = [f"Item {n}: paper replaced: Paper number {n}" for n in range(1, 61)]
    pack = PackInput(
        "QA subgroup", "QA-2026-03-12", date(2026, 3, 12), "10:00", "Room", "Chair", 2, "QA-v2", items, changes
    )
    data = build_pack(pack).full.content
    texts = page_texts(data)
    marks = {title: page for depth, title, page in outline(data) if depth == 0}
    assert texts[marks["What changed since version 1"] - 1].split("\n")[0].strip() == "What changed since version 1"
    assert texts[marks["Agenda"] - 1].startswith("Agenda: QA subgroup")
    assert texts[marks["Contents"] - 1].startswith("Contents")
    contents_pages = range(marks["Contents"], marks["Item 1: Item 1 on multi-agency quality assurance"])
    lines = [line.split() for page in contents_pages for line in texts[page - 1].splitlines()]
    checked = 0
    for words in lines:
        if len(words) == 5 and words[1:3] == ["Paper", "number"]:
            assert texts[int(words[4]) - 1].startswith(f"Paper {words[3]} text"), words
            checked += 1
    assert checked == 60


@pytest.mark.parametrize("kept", [0.6, 0.8])
def test_a_paper_cut_short_is_refused_not_taken_with_blank_pages(kept: float) -> None:
    """A PDF whose end was lost (a download or e-mail that stopped) opens after qpdf rebuilds it, but
    without the content of its later pages: it was attached and its pages came out blank in the pack."""
    whole = paper_pdf("Chronology", 3, marker="CHILD-Z")
    with pytest.raises(InvalidInput, match="^cut.pdf is a damaged PDF"):
        check_paper_pdf(whole[: int(len(whole) * kept)], "cut.pdf")


def test_a_paper_with_a_blank_page_of_its_own_is_taken() -> None:
    pdf = pikepdf.open(io.BytesIO(paper_pdf("Report", 2)))
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    assert check_paper_pdf(out.getvalue(), "report.pdf") == 3


@pytest.mark.parametrize(
    "body",
    ["Safeguarding Children Partnership Board", "Child Death Overview Panel and Learning and Development subgroup"],
)
def test_the_footer_note_ends_before_the_bottom_marking(body: str) -> None:
    """The board's name in the footer ran under the centred marking, whose white band cut both: every page
    of the board's pack read "...version 1 FICIAL-SENSITIVE"."""
    pack = small_pack()
    pack.body = body
    data = build_pack(pack).full.content
    upright = [n for n, page in enumerate(pikepdf.open(io.BytesIO(data)).pages, 1) if not page.obj.get("/Rotate")]
    assert len(upright) > 5
    for page in upright:  # (the text boxes of a rotated page are in its unrotated space)
        [marking] = [box for box in text_boxes(data, page, "OFFICIAL-SENSITIVE") if box[1] < 100]
        [note] = text_boxes(data, page, "12/03/2026, version 1")
        assert note[2] < marking[0] - 3, page
    footer = page_texts(data)[1]
    if len(body) < 40:  # the board's own name still fits whole, in a smaller size
        assert f"{body} 12/03/2026, version 1" in footer
    else:  # a longer one is shortened, keeping the date and the version
        assert "\u2026 12/03/2026, version 1" in footer and "Child Death Overview Panel" in footer


def test_a_members_name_with_letters_winansi_lacks_is_printed_as_written_on_their_copy(built) -> None:
    """The watermark's font drew WinAnsi only: "Łukasz Dvořák" came out "?ukasz Dvo?ák", then "Lukasz Dvorák",
    on every page of his copy while the agenda inside printed his name right."""
    copy = stamp_copy(built.full.content, "Łukasz Dvořák", date(2026, 3, 5), "QA-2026-03-12-v1")
    texts = page_texts(copy)
    assert all("Copy for Łukasz Dvořák, 05/03/2026" in text for text in texts)
    assert texts[0].count("Recipient:") == 1 and "Łukasz Dvořák" in texts[0].split("Recipient:")[1]
    # the font comes once for every page (one Form XObject per page size), not once per page
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        font_files = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and "/Length1" in o]
    assert len(font_files) == 1
    assert len(copy) - len(built.full.content) < 40_000
    assert copy == stamp_copy(built.full.content, "Łukasz Dvořák", date(2026, 3, 5), "QA-2026-03-12-v1")


def test_the_master_packs_cover_has_no_empty_recipient_line(built) -> None:
    """Found by review: the master pack's cover read "Recipient:" with nothing after it."""
    assert "Recipient" not in page_texts(built.full.content)[0]


def test_a_copy_of_a_pack_whose_cover_has_the_label_does_not_print_it_twice(built) -> None:
    """Packs issued before the master left the line blank drew "Recipient:" themselves."""
    import pikepdf as pk

    from app.meetings.pack import COVER_RECIPIENT_X, COVER_RECIPIENT_Y

    with pk.open(io.BytesIO(built.full.content)) as pdf:
        cover = pdf.pages[0]
        label = f"BT /WbOldLabel 12 Tf {COVER_RECIPIENT_X:.2f} {COVER_RECIPIENT_Y:.2f} Td (Recipient:) Tj ET".encode()
        font = pk.Dictionary(Type=pk.Name.Font, Subtype=pk.Name.Type1, BaseFont=pk.Name("/Helvetica-Bold"))
        cover.obj.Resources.Font.WbOldLabel = pdf.make_indirect(font)
        cover.contents_add(pdf.make_stream(label))
        old = io.BytesIO()
        pdf.save(old)
    texts = page_texts(stamp_copy(old.getvalue(), "Grace Adeyemi", date(2026, 3, 5), "P"))
    assert texts[0].count("Recipient:") == 1 and "Grace Adeyemi" in texts[0].split("Recipient:")[1]
