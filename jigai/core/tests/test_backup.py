import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import EnterpriseFactory, ProjectFactory
from jigai.registry.models import Enterprise, Project


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_with_row_counts_and_audit_chain_checked(tmp_path, users):
    ProjectFactory.create_batch(3)
    path = tmp_path / "b.tar.gz"
    call_command("backup", "create", str(path), stdout=io.StringIO())
    before = (Project.objects.count(), Enterprise.objects.count())
    Project.objects.all().delete()
    EnterpriseFactory()
    out = io.StringIO()
    call_command("backup", "restore", str(path), stdout=out)
    assert "核对无误" in out.getvalue()
    assert (Project.objects.count(), Enterprise.objects.count()) == before


@pytest.mark.django_db(transaction=True)
def test_a_restore_from_a_different_engine_is_refused(tmp_path, users):
    import json
    import tarfile

    path = tmp_path / "b.tar.gz"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"vendor": "oracle", "counts": {}}))
    with tarfile.open(path, "w:gz") as tar:
        tar.add(manifest, arcname="manifest.json")
    with pytest.raises(CommandError, match="不能恢复"):
        call_command("backup", "restore", str(path), stdout=io.StringIO())
