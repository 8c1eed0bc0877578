from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from jigai.assessment import demo as assessment_demo
from jigai.champions import demo as champions_demo
from jigai.core import audit
from jigai.demo import money, people, registry_data
from jigai.dispatch import demo as dispatch_demo
from jigai.finance import demo as finance_demo
from jigai.funds import demo as funds_demo
from jigai.home import demo as home_demo
from jigai.incentives import demo as incentives_demo
from jigai.notices import demo as notices_demo
from jigai.support import demo as support_demo


class Command(BaseCommand):
    help = "生成演示数据：恩施州 2017—2020 年的企业、技改项目和各角色用户（由随机种子决定，可重现）"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2018, help="随机种子（默认 2018）")
        parser.add_argument("--enterprises", type=int, default=350)
        parser.add_argument("--projects", type=int, default=450)

    def handle(self, *args, seed, enterprises, projects, **options):
        if settings.JIGAI_PRODUCTION:
            # docs/security.md: no account with a published password in production (issue 11, point 11).
            raise CommandError(
                "生产环境（config.settings.production）不能生成演示数据：演示账户的密码公开印在 README 中。"
                "请在开发或测试环境运行 jigai demo；生产环境的账户由安全管理员逐个创建。"
            )
        if people.demo_exists():
            self.stdout.write("演示数据已存在，未重复生成。")
            self._print_users(None)
            return
        now = timezone.now()
        with audit.acting_as(
            audit.Actor(username="demo", source="command", source_detail=f"jigai demo --seed {seed}")
        ):
            with transaction.atomic():
                summary = registry_data.build(
                    seed=seed, enterprises_target=enterprises, projects_target=projects
                )
                dispatch_demo.build(seed=seed)
                assessment_demo.build(seed=seed)
                rows = people.build_users(now=now, enterprise_codes=summary["sample_enterprises"])
                summary.update(incentives_demo.build(seed=seed, now=now))
                finance_summary = finance_demo.build(seed=seed, now=now, password=people.DEMO_PASSWORD)
                rows += finance_summary.pop("user_rows")
                summary.update(finance_summary)
                summary.update(support_demo.build(seed=seed, now=now))
                # Before the money path's demo (funds): verified declarations are proposed to it.
                summary.update(champions_demo.build(seed=seed, now=now))
                summary.update(funds_demo.build(now=now, proposals=money.accepted_project_proposals()))
                summary.update(champions_demo.fund(now=now))
                # After the money path's demo (funds): publishes the approved items it left.
                summary.update(notices_demo.build(seed=seed, now=now))
                # After the notice: pays items whose notice has ended, and reverses one payment.
                summary.update(funds_demo.pay(now=now))
                # Last: today's reminders from every app's to-do items.
                summary.update(home_demo.build(now=now))
                audit.record(
                    "demo_build",
                    object_type="registry.project",
                    after={k: v for k, v in summary.items() if k != "sample_enterprises"},
                    message=f"演示数据（种子 {seed}）",
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成：企业 {summary['enterprises']} 家，项目 {summary['projects']} 个，"
                f"状态变更 {summary['transitions']} 条。"
            )
        )
        self._print_users(rows)

    def _print_users(self, rows):
        from jigai.accounts.models import User

        if rows is None:
            rows = [
                (u.username, str(u.get_role_display()), u.region.name if u.region else u.display_name)
                for u in User.objects.select_related("region").order_by("id")
            ]
        self.stdout.write(f"\n演示用户（密码均为 {people.DEMO_PASSWORD}）：")
        for username, role, scope in rows:
            self.stdout.write(f"  {username:<16} {role:<16} {scope}")
