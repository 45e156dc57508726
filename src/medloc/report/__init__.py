"""QA reports: one `Report` (model.py) rendered as JSON, HTML, Markdown and JUnit XML."""

from medloc.report.model import SCHEMA, Report, ReportFinding, build_report

__all__ = ["SCHEMA", "Report", "ReportFinding", "build_report"]
