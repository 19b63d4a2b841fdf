"""The intake form and the consent signature, as reception hands them to a patient."""
