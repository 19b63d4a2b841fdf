"""Email to patients (issue 19): the outbox, its sender, templates and the mail server's settings.

Messages are written by the scheduling layer's one hook (``frontdesk.scheduling.notices``) in
the transaction of the booking change that causes them; the sender (``sender.send_due``) sends
them later, from the running app's timer or ``frontdesk send-reminders``. No Qt here.
"""
