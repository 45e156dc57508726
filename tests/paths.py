"""Where the tests find the repository and the shared corpus (CI lays shared/ beside the clone)."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MEDLOC_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus"
NCI = CORPUS / "nci-press-releases-en-es"
