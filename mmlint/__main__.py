from __future__ import annotations

from mmlint.cli import main

raise SystemExit(main())
