"""Each application's search document: its text gathered from the application and what hangs off it, then its
weighted tsvector on PostgreSQL. Safe to run again at any time: a document is always rebuilt whole.

`index_applications` takes model classes from `get_model` so that the data migration can run it with its
historical models.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.apps import apps as installed_apps
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction

CONFIG = "english"
# ts_headline marks matches with these (services/query.py turns them into <mark> after escaping the text), so
# they must never occur in the text itself.
START, STOP = "\ue000", "\ue001"
# A tsvector holds at most 1 MB; the longest real application is far below this.
MAX_BODY_CHARS = 400_000
BATCH = 500


def _clean(*parts) -> str:
    text = "\n".join(str(p) for p in parts if p)
    return text.replace(START, "").replace(STOP, "")


def _texts(ids: list[int], get_model: Callable) -> dict[int, tuple[str, str, str]]:
    Application = get_model("applications", "Application")
    rows = list(
        Application.objects.filter(pk__in=ids).values(
            "pk",
            "number",
            "title",
            "summary",
            "target_group",
            "need_statement",
            "labor_market",
            "consortium_id",
            "consortium__name",
            "consortium__lead_agency__name",
        )
    )
    extra: dict[int, list[str]] = defaultdict(list)
    for application_id, text in (
        get_model("applications", "NarrativeResponse")
        .objects.filter(application_id__in=ids)
        .order_by("application_id", "criterion__position")
        .values_list("application_id", "text")
    ):
        extra[application_id].append(text)
    for application_id, *texts in (
        get_model("applications", "ProgramOfStudy")
        .objects.filter(application_id__in=ids)
        .order_by("application_id", "position", "pk")
        .values_list("application_id", "name", "k12_sequence", "postsecondary_sequence", "work_based_learning")
    ):
        extra[application_id].extend(texts)
    for application_id, name, responsibilities in (
        get_model("applications", "PartnerCommitment")
        .objects.filter(application_id__in=ids)
        .order_by("application_id", "pk")
        .values_list("application_id", "organization__name", "responsibilities")
    ):
        extra[application_id] += [name, responsibilities]
    members: dict[int, list[str]] = defaultdict(list)
    for consortium_id, name in (
        get_model("consortia", "Membership")
        .objects.filter(consortium_id__in={r["consortium_id"] for r in rows})
        .order_by("consortium_id", "organization__name")
        .values_list("consortium_id", "organization__name")
    ):
        members[consortium_id].append(name)

    texts = {}
    for r in rows:
        # "R2-0007" is also written "R2 0007", so that "0007" alone finds it too.
        heading = _clean(r["number"], r["number"].replace("-", " "), r["title"])
        summary = _clean(r["summary"], r["consortium__name"], r["consortium__lead_agency__name"])
        body = _clean(
            r["target_group"], r["need_statement"], r["labor_market"], *extra[r["pk"]], *members[r["consortium_id"]]
        )[:MAX_BODY_CHARS]
        texts[r["pk"]] = (heading, summary, body)
    return texts


def vector():
    """The weighted tsvector of a document's three texts."""
    return (
        SearchVector("heading", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


def index_applications(ids: Iterable[int], get_model: Callable = installed_apps.get_model) -> int:
    """(Re)build the search documents of these applications, in batches; returns how many were written.
    Ids of applications that no longer exist are skipped (their documents went with them)."""
    ids = sorted(set(ids))
    SearchDocument = get_model("search", "SearchDocument")
    written = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        with transaction.atomic():
            texts = _texts(batch, get_model)
            SearchDocument.objects.bulk_create(
                [
                    SearchDocument(application_id=pk, heading=heading, summary=summary, body=body)
                    for pk, (heading, summary, body) in texts.items()
                ],
                update_conflicts=True,
                unique_fields=["application"],
                update_fields=["heading", "summary", "body", "indexed_at"],
            )
            if connection.vendor == "postgresql" and texts:
                SearchDocument.objects.filter(pk__in=list(texts)).update(vector=vector())
        written += len(texts)
    return written


def rebuild(get_model: Callable = installed_apps.get_model) -> int:
    """Every application's document (the management command, the data migration)."""
    Application = get_model("applications", "Application")
    return index_applications(Application.objects.values_list("pk", flat=True), get_model)
