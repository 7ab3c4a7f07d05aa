"""`manage.py backup_check` prints the figures a restored backup is compared with, and says when files are missing."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from grants.setaside.services import draw_set_aside
from tests.factories import AttachmentFactory, AwardFactory, ConsortiumFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def award():
    award = AwardFactory()
    draw_set_aside(
        program=award.round.program,
        kind="planning_grant",
        amount=Decimal("1250.75"),
        by=UserFactory(role="Program staff"),
        consortium=ConsortiumFactory(),
    )
    return award


def check(*args) -> str:
    out = StringIO()
    call_command("backup_check", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_count_of_each_kind_of_record_and_the_money_drawn(award):
    AttachmentFactory(application=award.application)

    printed = check()

    assert "  applications             1\n" in printed
    assert "  awards                   1\n" in printed
    assert "  set-aside ledger rows    1\n" in printed
    assert "  set-aside drawn          1250.75\n" in printed
    assert "  attachment files missing 0\n" in printed


def test_an_attachment_whose_file_is_gone_is_named_and_fails_the_check(award):
    attachment = AttachmentFactory(application=award.application)
    Path(attachment.file.path).unlink()

    out = StringIO()
    with pytest.raises(CommandError, match="1 attachment file"):
        call_command("backup_check", stdout=out)

    assert f"  attachment files missing 1\n    {attachment.file.name}\n" in out.getvalue()


def test_a_database_only_check_skips_the_files(award):
    attachment = AttachmentFactory(application=award.application)
    Path(attachment.file.path).unlink()

    assert '"attachments": 1' in check("--json", "--skip-files")
