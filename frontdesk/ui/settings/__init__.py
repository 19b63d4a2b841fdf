"""The Settings page: setting the clinic up (details, hours, practitioners, rooms, closures,
appointment types) through :mod:`frontdesk.setup`."""
