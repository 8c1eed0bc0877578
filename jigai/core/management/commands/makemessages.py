"""Django's makemessages, also extracting the first argument of ``say(...)`` and the context and second of ``say_in(...)`` (``jigai.core.said``): a
message said by the import engine and kept to be said again in another language."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=say", "--keyword=say_in:1c,2"]
