"""A logo is refused at the door when it cannot be printed, and stored at the size paper needs;
one that still fails at print time is left out of that print, which goes on."""

from __future__ import annotations

import io
import logging
import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from frontdesk.clinic import get_clinic
from frontdesk.db.engine import Database
from frontdesk.db.models import ClinicSettings
from frontdesk.domain import ValidationError
from frontdesk.plans.sample import seed_sample_plan
from frontdesk.reports import plan_handout_pdf
from frontdesk.setup import get_clinic_details, update_clinic_details
from tests.unit.test_reports_handout import pdf_text

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def picture(size: tuple[int, int] = (120, 40), fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#2b7a78").save(out, fmt)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with_garbage_stream() -> bytes:
    """Valid PNG chunks and checksums around image data that is not a zlib stream."""
    ihdr = struct.pack(">IIBBBBB", 120, 40, 8, 2, 0, 0, 0)
    garbage = bytes((i * 73 + 41) % 256 for i in range(600))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", garbage)
        + _chunk(b"IEND", b"")
    )


def jpeg_cut_in_half() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(out, "JPEG", quality=95)
    data = out.getvalue()
    return data[: len(data) // 2]


def png_bomb(side: int = 20000) -> bytes:
    """A few dozen kilobytes that unpack to a ``side``×``side`` picture."""
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" * (1 + side // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


BAD_LOGOS = {
    "garbage stream": (png_with_garbage_stream, "damaged"),
    "half a JPEG": (jpeg_cut_in_half, "damaged"),
    "20000 x 20000 bomb": (png_bomb, "far too large|at most 4000"),
    "4500 px wide": (lambda: picture((4500, 20)), "4500×20 pixels.*at most 4000×4000"),
    "6 MB": (lambda: b"\x89PNG" + bytes(6_000_000), "under 5 MB"),
}


@pytest.mark.parametrize("name", list(BAD_LOGOS))
def test_a_bad_logo_is_refused_with_a_message_at_the_field(db: Database, name: str) -> None:
    make, words = BAD_LOGOS[name]
    before = get_clinic_details(db)
    with pytest.raises(ValidationError) as exc:
        update_clinic_details(db, before.__class__(**{**before.__dict__, "logo": make()}))
    assert set(exc.value.errors) == {"logo"}
    assert __import__("re").search(words, exc.value.errors["logo"]), exc.value.errors["logo"]
    assert get_clinic(db).logo_png is None


def test_a_large_logo_is_stored_scaled_down_for_the_letterhead(db: Database) -> None:
    details = get_clinic_details(db)
    for fmt in ("PNG", "JPEG"):
        update_clinic_details(
            db, details.__class__(**{**details.__dict__, "logo": picture((2400, 800), fmt)})
        )
        with Image.open(io.BytesIO(get_clinic(db).logo_png or b"")) as stored:
            assert (stored.format, stored.size) == (fmt, (600, 200))
    small = picture((300, 100))
    update_clinic_details(db, details.__class__(**{**details.__dict__, "logo": small}))
    assert get_clinic(db).logo_png == small  # already small enough: kept byte for byte


@pytest.mark.parametrize(
    "make", [png_with_garbage_stream, jpeg_cut_in_half], ids=["garbage stream", "half a JPEG"]
)
def test_a_damaged_logo_already_stored_is_left_out_and_the_handout_prints(
    db: Database, tmp_path: Path, make, caplog: pytest.LogCaptureFixture
) -> None:
    seeded = seed_sample_plan(db, now=NOW, given_name="Zoë", family_name="Park")
    with db.write() as s:  # saved before logos were checked when chosen
        row = s.get(ClinicSettings, 1)
        assert row is not None
        row.logo_png = make()
    out = tmp_path / "handout.pdf"
    with caplog.at_level(logging.WARNING):
        plan_handout_pdf(db, seeded.plan.revision_id, now=NOW, out=out)
    assert "Zoë Park" in " ".join(pdf_text(out.read_bytes()))
    assert "logo was left out of this print" in caplog.text
