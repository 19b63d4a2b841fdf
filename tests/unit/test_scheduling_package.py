"""The scheduling package loads its modules on first use; every public name must still resolve."""

from __future__ import annotations

import frontdesk.scheduling as scheduling


def test_every_public_name_of_the_lazy_package_resolves_to_its_home() -> None:
    # A name added to __all__ but not to the table of homes (or the other way round) would
    # only fail when a screen first asked for it.
    assert set(scheduling.__all__) == set(scheduling._HOMES)
    for name in scheduling.__all__:
        value = getattr(scheduling, name)
        assert getattr(value, "__module__", scheduling._HOMES[name]) == scheduling._HOMES[name]
