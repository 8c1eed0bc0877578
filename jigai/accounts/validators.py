"""Password rules (docs/security.md, 身份鉴别): ≥8 characters from ≥3 of 4 classes, not containing the username.

ASVS discourages composition rules; 等保 2.0 requires them, and we follow 等保.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext


def character_classes(password: str) -> int:
    classes = [
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                gettext("密码须包含大写字母、小写字母、数字、特殊字符中的至少%(n)d类。"),
                code="password_classes",
                params={"n": self.min_classes},
            )

    def get_help_text(self):
        return gettext("密码须包含大写字母、小写字母、数字、特殊字符中的至少%(n)d类。") % {
            "n": self.min_classes
        }


class NotContainingUsernameValidator:
    def validate(self, password, user=None):
        username = getattr(user, "username", "") if user is not None else ""
        if username and username.lower() in password.lower():
            raise ValidationError(gettext("密码不能包含用户名。"), code="password_contains_username")

    def get_help_text(self):
        return gettext("密码不能包含用户名。")
