"""The administrator's screens: staff accounts and the audit trail, and the password dialogs."""
