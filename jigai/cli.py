"""The `jigai` command: the platform's management commands, plus `jigai policy …`, which needs no database."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "policy":
        from jigai.incentives.policy_commands import main as policy_main

        return policy_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jigai", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
