"""``jigai import TABLE FILE [--mode all|good] [--dry-run] [--user NAME] [--json] [--map '表头=字段' …]`` (issue 4).

``--map`` says which field an unrecognised header is (``忽略`` to ignore it); it applies over the mapping
the user's unit keeps for the table from the import page's 列对应 (``registry.ImportColumnMapping``) and
is not stored.

Prints the same report as the preview page. ``--user`` (case-insensitive) is required: the import runs
with that user's rights and is recorded under that name (issue 11 point 10: an import attributed to
"system" says nobody). The user must exist, be active and hold "import.run"; a county clerk's file may
only touch the clerk's unit. Exit status: 0 done or nothing to do; 2 nothing written because the file
was refused or, under ``--mode all``, rows were rejected (also for a bad table, file or user);
1 the write failed and was rolled back.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from jigai.accounts.permissions import require
from jigai.core import audit
from jigai.core.edges import record_denial
from jigai.core.errors import PermissionDeniedError
from jigai.imports import ImportWriteError, cli, tables
from jigai.imports.mapping import parse_map_options
from jigai.registry.imports import context_for, import_actor, run_import
from jigai.registry.selectors import import_mapping_for


def named_user(username: str | None, operation: str, what: str):
    """The named, existing, active user a command that changes business data acts as (issue 11
    point 10); a CommandError (exit 2) in Chinese otherwise."""
    if not username:
        raise CommandError(
            f"请用 --user 指定{what}的用户（须为有此权限的在用账号），以便记入审计日志", returncode=2
        )
    user = get_user_model().objects.filter(username__iexact=username).first()
    if user is None:
        raise CommandError(f"找不到用户“{username}”", returncode=2)
    if not user.is_active:
        raise CommandError(f"用户“{user.get_username()}”已停用，不能{what}", returncode=2)
    try:
        require(user, operation)
    except PermissionDeniedError as exc:
        # Recorded as a denied access, as the page and the API record theirs (jigai/core/edges.py).
        with audit.acting_as(audit.actor_for_user(user, source="command")):
            record_denial("jigai import", exc)
        raise CommandError(f"用户“{user.get_username()}”没有{what}的权限", returncode=2) from None
    return user


class Command(BaseCommand):
    help = "从 Excel/CSV 导入数据（先检查整个文件，再在一个事务中写入）"

    def add_arguments(self, parser):
        cli.add_arguments(parser)

    def handle(self, *args, **options):
        # The operator's report is Chinese whatever the environment's locale (docs/architecture.md,
        # "Translations"): the engine says its problems in the language active when it reads the file.
        with translation.override("zh-hans"):
            self._handle(options)

    def _handle(self, options):
        try:
            spec = tables.get(options["table"])
        except KeyError as exc:
            raise CommandError(exc.args[0], returncode=2) from None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}", returncode=2)
        user = named_user(options["user"], "import.run", "导入数据")
        context = (
            context_for(user) if options.get("year") is None else context_for(user, year=options["year"])
        )
        mapping, problems = parse_map_options(spec, options.get("map") or [])
        if problems:
            raise CommandError("\n".join(problems), returncode=2)
        context.mapping = {**import_mapping_for(user, spec.name), **mapping}
        failed = False
        with audit.acting_as(import_actor(context)):
            try:
                report = run_import(
                    spec,
                    path,
                    context,
                    mode=options["mode"],
                    dry_run=options["dry_run"],
                    sheets=cli.sheet_choice(options.get("sheet")),
                )
            except ImportWriteError as exc:
                report, failed = exc.report, True
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(report.as_text())
        if failed:
            raise CommandError(report.message, returncode=1)
        if report.exit_code:
            reason = "文件未通过检查" if report.refused else "有行被拒绝，按“全部或不导入”方式未写入任何数据"
            raise CommandError(reason, returncode=report.exit_code)
