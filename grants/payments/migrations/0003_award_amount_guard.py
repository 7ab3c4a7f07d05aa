"""The database's guard on an award's amount, beside the services' (payments.services.payments.amendment_problems):
an award is never lowered below what its released, approved and paid payments add up to.

PostgreSQL: a constraint trigger on the award's row (an amendment updates it under the award's lock, which the
payments' own guard takes too). SQLite (development, the demo): a trigger that checks the same, in cents.
"""

from django.db import migrations

POSTGRESQL = [
    """
CREATE FUNCTION payments_award_amount_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    released numeric;
BEGIN
    SELECT COALESCE(SUM(amount), 0) INTO released FROM payments_payment
        WHERE award_id = NEW.id AND status IN ('released', 'approved', 'paid');
    IF released > NEW.amount THEN
        RAISE EXCEPTION 'award_amount_covers_payments: award % would be %, less than the % released or paid',
            NEW.id, NEW.amount, released
            USING ERRCODE = 'check_violation', CONSTRAINT = 'award_amount_covers_payments';
    END IF;
    RETURN NULL;
END;
$$
""",
    "CREATE CONSTRAINT TRIGGER payments_award_amount_guard AFTER UPDATE OF amount ON awards_award "
    "FOR EACH ROW WHEN (NEW.amount < OLD.amount) EXECUTE FUNCTION payments_award_amount_guard()",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS payments_award_amount_guard ON awards_award",
    "DROP FUNCTION IF EXISTS payments_award_amount_guard()",
]
SQLITE = [
    "CREATE TRIGGER payments_award_amount_guard AFTER UPDATE OF amount ON awards_award "
    "WHEN NEW.amount < OLD.amount BEGIN "
    "SELECT RAISE(ABORT, 'award_amount_covers_payments: an award cannot be less than what was released or paid') "
    "WHERE (SELECT ROUND(COALESCE(SUM(amount), 0) * 100) FROM payments_payment "
    "       WHERE award_id = NEW.id AND status IN ('released', 'approved', 'paid')) > ROUND(NEW.amount * 100); "
    "END;",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS payments_award_amount_guard;"]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("payments", "0002_payment_guards")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}), _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE})
        )
    ]
