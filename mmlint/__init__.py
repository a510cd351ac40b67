"""mmlint: keeps a Prometheus + Grafana observability-as-code tree honest, offline."""

from __future__ import annotations

__version__ = "0.1.0"
