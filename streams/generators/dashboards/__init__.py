"""Grafana dashboards as code: plain-data generators, a schema check and one writer (see build.py)."""

from streams.generators.dashboards.build import DashboardError, build_dashboards, dashboards, render

__all__ = ["DashboardError", "build_dashboards", "dashboards", "render"]
