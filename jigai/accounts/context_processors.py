from .models import Role
from .permissions import MATRIX


def role(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"perms_jigai": set()}
    allowed = {op for op, roles in MATRIX.items() if user.role in roles}
    return {"perms_jigai": allowed, "Role": Role}
