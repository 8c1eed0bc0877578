from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "jigai.finance"
    label = "finance"
    verbose_name = "金融支持（银企对接、贷款、风险补偿）"
