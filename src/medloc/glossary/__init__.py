"""The medical glossary: data, matching with word forms, source fixes, translator hints, target QA.

What other stages call:
- `load_terminology(settings) -> Terminology` once per run (a malformed glossary raises MedlocError
  with file and line before anything is written);
- `fix_article(terms, article, settings) -> ArticleFix` (pipeline, before catalogs);
- `hints_for(terms, segment_text, locale) -> list[str]` (catalog `#.` comments);
- `check_target(terms, source, target, locale) -> list[TermIssue]` or `term_findings(...)` (QA).
"""

from medloc.glossary.fixer import Change, FixedText, fix_text
from medloc.glossary.hints import hints_for
from medloc.glossary.load import load_glossary
from medloc.glossary.model import Concept, Example, Glossary, LocaleTerms
from medloc.glossary.source_fix import ArticleFix, Fix, fix_article, write_fix_log
from medloc.glossary.target import TermIssue, check_target, term_findings
from medloc.glossary.terminology import Terminology, load_terminology, terminology_from

__all__ = [
    "ArticleFix", "Change", "Concept", "Example", "Fix", "FixedText", "Glossary", "LocaleTerms",
    "TermIssue", "Terminology", "check_target", "fix_article", "fix_text", "hints_for",
    "load_glossary", "load_terminology", "term_findings", "terminology_from", "write_fix_log",
]
