"""Acupuncture points and needles: the point catalogue, point prescriptions, the needle count
that must add up before a note is signed, and adverse events (issue 18)."""
