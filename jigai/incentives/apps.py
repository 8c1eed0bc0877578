from django.apps import AppConfig


class IncentivesConfig(AppConfig):
    name = "jigai.incentives"
    label = "incentives"
    verbose_name = "奖补（验收、决定、拨付）"

    def ready(self):
        from jigai.attachments.registry import register_owner

        from .models import Application
        from .services import may_attach, may_view

        # An application's supporting files (invoices, contracts, completion report): seen by whoever may
        # see the application, added by the enterprise (or its clerk) while it is a draft or returned.
        register_owner(Application, can_view=may_view, can_attach=may_attach)
