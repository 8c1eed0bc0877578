"""Settings for a machine on the intranet without TLS in front (the README's start command)."""

from .base import *  # noqa: F403
from .base import VAR_DIR

if not SECRET_KEY:  # noqa: F405
    # A per-installation key kept under var/, never a key shared through the repository.
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()

if not JIGAI_BACKUP_KEY:  # noqa: F405
    # Generated per installation like the secret key; production sets its own (docs/operator-guide.md).
    _backup_key_file = VAR_DIR / "backup_key"
    if not _backup_key_file.exists():
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        _backup_key_file.touch(mode=0o600)
        _backup_key_file.write_text(secrets.token_urlsafe(48))
    JIGAI_BACKUP_KEY = _backup_key_file.read_text().strip()
