from django.apps import AppConfig


class ChampionsConfig(AppConfig):
    name = "jigai.champions"
    label = "champions"
    verbose_name = "隐形冠军奖励申报"

    def ready(self):
        from jigai.attachments.registry import register_owner

        from .models import Declaration
        from .rules import may_attach, may_view

        register_owner(Declaration, can_view=may_view, can_attach=may_attach)
