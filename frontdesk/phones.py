"""Phone numbers as the clinic types them, stores them and prints them.

Stored as E.164 so that one number typed three ways is recognised as the same (duplicate
warnings, search); shown in the national format a patient in Alberta reads without effort.
Used for patients' numbers and the clinic's own number on every printout.
"""

from __future__ import annotations

# phonenumbers (its metadata for every country, ~25 ms) is imported where it is needed, so
# a screen of local numbers, which the fast path below shows, never loads it.

PHONE_REGION = "CA"


def parse_phone(text: str) -> str:
    """E.164 form of a typed phone number (``""`` when empty); ValueError with the message."""
    text = text.strip()
    if not text:
        return ""
    import phonenumbers

    try:
        number = phonenumbers.parse(text, PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueError(
            "This is not a valid phone number. Enter the area code and number, "
            "like 780-555-0123, or a + and the country code for a number abroad."
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """How a stored number is shown: (780) 555-0123 at home, +44 20 7946 0958 abroad.

    Text that is not a phone number in E.164 form (a clinic that typed "780-555-0123 ext 2"
    in its settings) is shown as it was typed.
    """
    if not e164:
        return ""
    if e164.startswith("+1") and len(e164) == 12 and e164[1:].isdigit():
        return f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}"
    if not e164.startswith("+"):
        return e164
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def format_phones_in(text: str) -> str:
    """Free text (an emergency contact: "Eric Andrews (daughter) +15873090875") with each
    phone number in it shown as ``format_phone`` shows a patient's: "(587) 309-0875".

    Only what ``phonenumbers`` recognises as a valid number is rewritten (an extension is
    kept as "ext. 2"); the words around it, and text without a number, stay as typed.
    """
    if sum(ch.isdigit() for ch in text) < 7:
        return text
    import phonenumbers

    parts: list[str] = []
    done = 0
    for match in phonenumbers.PhoneNumberMatcher(text, PHONE_REGION):
        shown = format_phone(
            phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        )
        if match.number.extension:
            shown += f" ext. {match.number.extension}"
        parts += [text[done : match.start], shown]
        done = match.end
    return "".join(parts) + text[done:]
