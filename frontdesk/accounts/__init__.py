"""Staff accounts, what each role may do, and the audit trail every service call leaves.

The layer every service goes through: ``operation`` decorates each public service function,
checks the signed-in ``Actor`` (carried by ``Database.as_actor``) against the one table in
``permissions``, and has ``audit`` write the operation's audit rows in the same transaction.
``service`` holds the account functions themselves (sign-in, add, disable, passwords).
Import the submodules; this package imports nothing so that importing it stays cheap.
"""
