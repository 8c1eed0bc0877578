from django.apps import AppConfig


class IncentivesConfig(AppConfig):
    name = "jigai.incentives"
    label = "incentives"
    verbose_name = "奖补（验收、决定、拨付）"
