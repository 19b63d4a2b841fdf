"""The desk's money screens: the check-out dialog."""
