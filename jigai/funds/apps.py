from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "jigai.funds"
    label = "funds"
    verbose_name = "奖补资金（报批、预算、公示、拨付）"
