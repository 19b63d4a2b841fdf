"""The Outbox page: every email to patients, its status, and Retry (issue 19)."""
