"""Taking the clinic's data elsewhere: every table as CSV, one patient's record as a PDF.

A clinic owns its records. ``export_clinic_csv`` writes each table to a UTF-8 CSV file (the
columns are described in ``docs/EXPORT.md``), so another program, a spreadsheet or an auditor
can read them without Frontdesk; ``frontdesk.reports.patient_record`` prints what a patient
may ask for.
"""

from frontdesk.export.csv_export import CsvExport, export_clinic_csv, export_tables

__all__ = ["CsvExport", "export_clinic_csv", "export_tables"]
