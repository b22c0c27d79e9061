"""Identifiers every layer reads: the patterns of source, municipality and department ids, and the reserved ones.

The JSON Schemas in `schemas/` write the same patterns for source systems; a test holds them equal.
"""

from __future__ import annotations

import re

MAX_LENGTH = 64  # characters of a source id or a department slug
SOURCE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}\Z")  # a source system's id: telephony, os2forms, komhen-import
MUNICIPALITY = re.compile(r"[0-9]{3}\Z")  # the official three-digit number (kommunekode), e.g. 183
DEPARTMENT = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\Z")  # a department slug, e.g. borgerservice

ALL_DEPARTMENTS = "_all"  # reserved: the whole municipality (in target scopes and the department label)
UNKNOWN_DEPARTMENT = "unknown"  # the department of an inquiry whose source does not name its unit
NATIONAL = "_national"  # reserved: the whole deployment, as the municipality of a national target file
