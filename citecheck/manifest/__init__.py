"""references.yaml, the human-curated manifest: reading (`read`) and atomic round-trip writing
(`write`), over the fast (`yamlfast`) and round-trip (`yamlrt`) YAML loaders."""

from citecheck.manifest.read import (
    EDITORIAL,
    EXTRACTED,
    KNOWN_VERSION,
    NOTE_KINDS,
    Editorial,
    Entry,
    Manifest,
    document_from_manifest,
    is_manifest,
    load_manifest,
    looks_like_manifest,
    read_yaml,
    validate,
)
from citecheck.manifest.write import ExtractSummary, set_fields, update_manifest

__all__ = [
    "EDITORIAL",
    "EXTRACTED",
    "KNOWN_VERSION",
    "NOTE_KINDS",
    "Editorial",
    "Entry",
    "ExtractSummary",
    "Manifest",
    "document_from_manifest",
    "is_manifest",
    "load_manifest",
    "looks_like_manifest",
    "read_yaml",
    "set_fields",
    "update_manifest",
    "validate",
]
