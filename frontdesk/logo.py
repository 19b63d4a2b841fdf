"""The clinic's letterhead logo: checked in full when chosen, stored at the size paper needs.

A logo is a file from anywhere, and every handout draws it. So the picture is decoded
completely (not just its header) before it is accepted: a PNG whose chunks are valid but whose
image data is garbage, a JPEG cut in half, or a tiny file that unpacks to a 20000×20000 bitmap
(a "decompression bomb") is refused with one sentence, instead of breaking every print later.
An accepted logo is scaled down to ``LETTERHEAD_MAX_PX``: the letterhead prints it 1.6 inches
wide at most, so more pixels only slow printing down. Print time checks it the same way again
(``decode_logo``), because a database may hold a logo saved before these checks existed.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image

MAX_LOGO_BYTES = 5_000_000
MAX_LOGO_SIDE = 4000  # pixels, checked before the picture is decoded
LETTERHEAD_MAX_PX = 600
FORMATS = ("PNG", "JPEG")


class LogoError(ValueError):
    """Why these bytes cannot be the clinic's logo; the message is for the person choosing it."""


def decode_logo(data: bytes) -> Image.Image:
    """The logo fully decoded, or ``LogoError`` saying what is wrong with the file."""
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(
            f"The logo is {len(data) / 1_000_000:.1f} MB; choose a picture under "
            f"{MAX_LOGO_BYTES // 1_000_000} MB (a PNG or JPEG a few hundred pixels wide "
            "prints sharply)."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            kind = image.format
            width, height = image.size
            if kind not in FORMATS:
                raise LogoError(
                    f"The logo is a {kind} picture; save it as PNG or JPEG and choose that file."
                )
            if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE:
                raise LogoError(
                    f"The logo is {width}×{height} pixels; choose a picture at most "
                    f"{MAX_LOGO_SIDE}×{MAX_LOGO_SIDE} (a few hundred pixels wide is plenty)."
                )
            image.load()  # decodes every pixel: damaged image data fails here, not on paper
    except LogoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise LogoError(
            "The logo file unpacks to a picture far too large to print; choose a PNG or JPEG "
            f"at most {MAX_LOGO_SIDE}×{MAX_LOGO_SIDE} pixels."
        ) from None
    except Image.UnidentifiedImageError:
        raise LogoError(
            "This file is not a picture Frontdesk can read; choose a PNG or JPEG file."
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        raise LogoError(
            "This picture is damaged (its image data cannot be read: "
            f"{str(exc) or type(exc).__name__}); open it in an image editor, save it again "
            "as PNG or JPEG, and choose that file."
        ) from None
    return image


def prepare_logo(data: bytes) -> bytes:
    """The bytes to store: the checked picture, scaled down to ``LETTERHEAD_MAX_PX`` if larger.

    A picture already small enough is kept byte for byte; a larger one is re-encoded in its
    own format (JPEG stays JPEG), keeping transparency in a PNG.
    """
    image = decode_logo(data)
    if max(image.size) <= LETTERHEAD_MAX_PX:
        return data
    kind = image.format or "PNG"
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.thumbnail((LETTERHEAD_MAX_PX, LETTERHEAD_MAX_PX), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if kind == "JPEG":
        image.save(out, "JPEG", quality=90, optimize=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()
