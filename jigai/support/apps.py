from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "jigai.support"
    label = "support"
    verbose_name = "企业服务（秘书制、审批代办、网上备案、用地、会商）"
