"""The database's own guard on payments, so that code which skips the services cannot over-pay:

- the non-cancelled payments of an award never add up to more than the award's amount: checked when a payment is
  added, raised, cancelled no more, or released, approved or paid (lowering one is always allowed: it follows an
  amendment that lowered the award);
- a payment becomes released, approved or paid only while its award is active (never on a closed award).

PostgreSQL: a constraint trigger that locks the award's row before it adds up the payments, so that two
transactions adding payments to one award at once are checked one after the other (the second sees the first's
payment once it commits). SQLite (development, the demo) runs one writer at a time; a trigger there checks the same,
in cents.
"""

from django.db import migrations

POSTGRESQL = [
    """
CREATE FUNCTION payments_payment_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    award_amount numeric;
    award_status text;
    total numeric;
BEGIN
    IF NEW.status = 'cancelled' THEN
        RETURN NULL;
    END IF;
    SELECT amount, status INTO award_amount, award_status FROM awards_award WHERE id = NEW.award_id FOR UPDATE;
    IF NEW.status IN ('released', 'approved', 'paid')
            AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status)
            AND award_status <> 'active' THEN
        RAISE EXCEPTION 'payment_only_while_award_active: payment % of award % cannot become % while the award is %',
            NEW.id, NEW.award_id, NEW.status, award_status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_only_while_award_active';
    END IF;
    -- Lowering a payment is always allowed (it follows an amendment that lowered the award).
    IF TG_OP = 'UPDATE' AND NEW.amount <= OLD.amount AND OLD.status <> 'cancelled'
            AND NEW.award_id = OLD.award_id
            AND NOT (NEW.status IN ('released', 'approved', 'paid') AND OLD.status IS DISTINCT FROM NEW.status) THEN
        RETURN NULL;
    END IF;
    SELECT COALESCE(SUM(amount), 0) INTO total FROM payments_payment
        WHERE award_id = NEW.award_id AND status <> 'cancelled';
    IF total > award_amount THEN
        RAISE EXCEPTION 'payments_within_award: the payments of award % would add up to %, more than its amount of %',
            NEW.award_id, total, award_amount
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_within_award';
    END IF;
    RETURN NULL;
END;
$$
""",
    "CREATE CONSTRAINT TRIGGER payments_payment_guard AFTER INSERT OR UPDATE ON payments_payment "
    "FOR EACH ROW EXECUTE FUNCTION payments_payment_guard()",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS payments_payment_guard ON payments_payment",
    "DROP FUNCTION IF EXISTS payments_payment_guard()",
]

_SQLITE_CHECKS = """
    SELECT RAISE(ABORT, 'payments_within_award: the payments of an award would add up to more than its amount')
    WHERE (SELECT ROUND(COALESCE(SUM(amount), 0) * 100) FROM payments_payment
           WHERE award_id = NEW.award_id AND status <> 'cancelled')
        > (SELECT ROUND(amount * 100) FROM awards_award WHERE id = NEW.award_id);
"""
_SQLITE_ACTIVE = """
    SELECT RAISE(ABORT, 'payment_only_while_award_active: a payment is released, approved or paid only while its award is active')
    WHERE NEW.status IN ('released', 'approved', 'paid')
        AND (SELECT status FROM awards_award WHERE id = NEW.award_id) <> 'active';
"""
SQLITE = [
    "CREATE TRIGGER payments_payment_guard_insert AFTER INSERT ON payments_payment WHEN NEW.status <> 'cancelled' "
    f"BEGIN {_SQLITE_ACTIVE} {_SQLITE_CHECKS} END;",
    "CREATE TRIGGER payments_payment_guard_update AFTER UPDATE ON payments_payment WHEN NEW.status <> 'cancelled' "
    "AND (NEW.amount > OLD.amount OR OLD.status = 'cancelled' OR NEW.award_id <> OLD.award_id "
    "OR (NEW.status <> OLD.status AND NEW.status IN ('released', 'approved', 'paid'))) "
    f"BEGIN {_SQLITE_CHECKS} END;",
    "CREATE TRIGGER payments_payment_guard_status AFTER UPDATE OF status ON payments_payment "
    f"WHEN NEW.status <> OLD.status BEGIN {_SQLITE_ACTIVE} END;",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS payments_payment_guard_insert;",
    "DROP TRIGGER IF EXISTS payments_payment_guard_update;",
    "DROP TRIGGER IF EXISTS payments_payment_guard_status;",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        # params=None: the SQL's % signs are PL/pgSQL's, not placeholders.
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


create = _run({"postgresql": POSTGRESQL, "sqlite": SQLITE})
drop = _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE})


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
