"""Optional holidays stored by stable key; a clinic setting for closing on observed days.

The clinic's chosen optional holidays used to be stored by the name the ``holidays`` package
gave them in the language of the desk that saved them ("Easter Monday", "Lundi de Pâques",
"Labor Day"...), so a desk in another language did not recognise them. They become keys
("easter_monday"): every name the package gives in any of its languages, for the clinic's
province, is mapped to the key of its Canadian English name. A name that maps to nothing
never closed the clinic on any desk and is dropped.

Observed days (the weekday a weekend holiday moves to) now close the clinic only when the
clinic asks for it: the new ``close_on_observed_days`` column, off by default.

Revision ID: 0003
Revises: 0002
Create Date: 2027-01-15
"""

from __future__ import annotations

import json
import re
from datetime import date

import holidays
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_OBSERVED = " (observed)"
_settings = sa.table(
    "clinic_settings",
    sa.column("id", sa.Integer()),
    sa.column("province", sa.String()),
    sa.column("closed_optional_holidays", sa.JSON()),
)


def _key(name: str) -> str:
    # Frozen copy of scheduling.holiday_calendar.holiday_key as it was at this revision.
    base = name.removesuffix(_OBSERVED)
    return re.sub(r"[^a-z0-9]+", "_", base.lower().replace("'", "")).strip("_")


def _names_to_keys(province: str) -> tuple[dict[str, str], dict[str, str]]:
    """Every localized name (observed ones included) -> key, and key -> Canadian English name."""
    this_year = date.today().year
    years = range(this_year - 6, this_year + 3)
    mapping: dict[str, str] = {}
    english: dict[str, str] = {}
    for category in (holidays.PUBLIC, holidays.OPTIONAL):

        def table(language: str | None) -> holidays.HolidayBase:
            return holidays.country_holidays(
                "CA", subdiv=province, years=years, categories=(category,), language=language
            )

        reference = table("en_CA")
        for language in holidays.country_holidays("CA").supported_languages:
            localized = table(language)
            for day in reference:
                for en_name, name in zip(reference.get_list(day), localized.get_list(day)):
                    key = _key(en_name)
                    english.setdefault(key, en_name.removesuffix(_OBSERVED))
                    mapping.setdefault(name, key)
                    mapping.setdefault(name.removesuffix(_OBSERVED), key)
    return mapping, english


def upgrade() -> None:
    with op.batch_alter_table("clinic_settings") as batch:
        batch.add_column(
            sa.Column("close_on_observed_days", sa.Boolean(), nullable=False,
                      server_default=sa.false())
        )
    conn = op.get_bind()
    for row_id, province, stored in conn.execute(
        sa.select(_settings.c.id, _settings.c.province, _settings.c.closed_optional_holidays)
    ):
        names = json.loads(stored) if isinstance(stored, str) else (stored or [])
        mapping, _ = _names_to_keys(province)
        keys = list(dict.fromkeys(mapping[n] for n in names if n in mapping))
        conn.execute(
            sa.update(_settings).where(_settings.c.id == row_id)
            .values(closed_optional_holidays=keys)
        )


def downgrade() -> None:
    conn = op.get_bind()
    for row_id, province, stored in conn.execute(
        sa.select(_settings.c.id, _settings.c.province, _settings.c.closed_optional_holidays)
    ):
        keys = json.loads(stored) if isinstance(stored, str) else (stored or [])
        _, english = _names_to_keys(province)
        names = [english[k] for k in keys if k in english]
        conn.execute(
            sa.update(_settings).where(_settings.c.id == row_id)
            .values(closed_optional_holidays=names)
        )
    with op.batch_alter_table("clinic_settings") as batch:
        batch.drop_column("close_on_observed_days")
