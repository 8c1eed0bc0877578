from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from jigai.core import audit
from jigai.core.middleware import client_ip

from .models import User, UserSession


@receiver(user_logged_in)
def link_session(sender, request, user, **kwargs):
    if request is not None and request.session.session_key:
        UserSession.objects.get_or_create(session_key=request.session.session_key, defaults={"user": user})


@receiver(user_logged_out)
def record_logout(sender, request, user, **kwargs):
    if user is None:
        return
    audit.record(
        "logout",
        obj=user,
        actor=audit.actor_for_user(user, source="page", ip=client_ip(request) if request else ""),
    )


@receiver(post_save, sender=User)
def end_sessions_of_disabled_user(sender, instance, **kwargs):
    if not instance.is_active:
        from .services import user_end_sessions

        user_end_sessions(user=instance)
