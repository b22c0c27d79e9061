"""Where the shared contract files live (schemas/ at the repository root)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def schemas_dir() -> Path:
    """The schemas folder; KOMHEN_SCHEMAS_DIR overrides it for unusual installs."""
    return Path(os.environ.get("KOMHEN_SCHEMAS_DIR", REPO_ROOT / "schemas"))


def deploy_dir() -> Path:
    """Shipped configuration (targets, simulator profiles); KOMHEN_DEPLOY_DIR overrides it."""
    return Path(os.environ.get("KOMHEN_DEPLOY_DIR", REPO_ROOT / "deploy"))
