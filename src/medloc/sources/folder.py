"""The source folder: every .html, .md and .txt file below `project.source_dir`.

Files are read in a stable (sorted) order so runs are reproducible. A file that cannot be used is
reported as an error naming it and the others go on. Links that lead outside the folder are refused:
a source folder must never become a way to read arbitrary files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from medloc.config import Settings
from medloc.extract import FORMATS
from medloc.model import MedlocError, SourceDocument


@dataclass
class FolderScan:
    documents: list[SourceDocument] = field(default_factory=list)
    errors: list[MedlocError] = field(default_factory=list)


def scan_folder(settings: Settings) -> FolderScan:
    root = settings.path(settings.project.source_dir)
    scan = FolderScan()
    if not root.is_dir():
        scan.errors.append(MedlocError("source folder does not exist", path=str(root)))
        return scan
    limit = settings.project.max_file_bytes
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or path.suffix.lower() not in FORMATS:
            continue
        shown = _shown(path, settings.root)
        try:
            resolved = path.resolve(strict=True)
            if not resolved.is_relative_to(root):
                raise MedlocError("refused: the link points outside the source folder", path=shown)
            if not resolved.is_file():
                continue
            size = resolved.stat().st_size
            if size > limit:
                raise MedlocError(
                    f"file is {size:,} bytes, over the limit of {limit:,} (project.max_file_bytes)",
                    path=shown,
                )
            data = resolved.read_bytes()
        except MedlocError as exc:
            scan.errors.append(exc)
            continue
        except OSError as exc:
            scan.errors.append(MedlocError(f"cannot read: {exc.strerror or exc}", path=shown))
            continue
        except RuntimeError:  # Python 3.11 reports a symlink loop this way
            scan.errors.append(MedlocError("cannot read: symbolic link loop", path=shown))
            continue
        scan.documents.append(SourceDocument(name=path.name, origin=shown, data=data))
    return scan


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
