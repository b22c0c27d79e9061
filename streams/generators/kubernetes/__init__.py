"""Kubernetes manifests from settings and target files: pure builders per concern, one writer (build.py)."""

from streams.generators.kubernetes.build import manifests, render, write_manifests
from streams.generators.kubernetes.spec import KubernetesSettings, KubernetesSettingsError

__all__ = ["KubernetesSettings", "KubernetesSettingsError", "manifests", "render", "write_manifests"]
