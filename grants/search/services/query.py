"""Finding applications: PostgreSQL full-text search (websearch syntax, ranked, with highlighted snippets) over
the search documents, or on SQLite a plain search for every word (no stemming, title matches first).

Either way a page of results costs the same queries however many applications match: one count, one read of
the page's rows with everything they show.
"""

import html
import re
import string
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page
from django.db import connection
from django.db.models import Case, F, IntegerField, OuterRef, Q, QuerySet, Subquery, TextField, Value, When
from django.db.models.functions import Concat, Left, Replace
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from ccpt.lib.pages import CountedPaginator
from consortia.rules import spoken_for
from grants.applications.models import Application, ProgramOfStudy
from grants.reviews.models import Assignment

from ..rules import searchable
from .index import CONFIG, START, STOP

PER_PAGE = 20
SNIPPET_CHARS = 240
# ts_headline parses and stems the whole text it is given: over a whole application (~10,000 characters) that was
# 1 ms a row; the snippet comes from the summary and the start of the rest (bench/search.py). A match only further
# on still counts and ranks; its snippet then shows the opening text, unmarked.
HEADLINE_CHARS = 4000


@dataclass(frozen=True)
class Filters:
    round: int | None = None
    status: str = ""
    region: int | None = None
    sector: str = ""
    category: int | None = None

    def q(self) -> Q:
        q = Q()
        if self.round:
            q &= Q(round_id=self.round)
        if self.status:
            q &= Q(status=self.status)
        if self.region:
            q &= Q(consortium__region_id=self.region)
        if self.sector:
            q &= Q(pk__in=ProgramOfStudy.objects.filter(sector=self.sector).values("application_id"))
        if self.category:
            q &= Q(category_id=self.category)
        return q


@dataclass
class Result:
    application: Application
    title: SafeString  # escaped, the matches in <mark>
    snippet: SafeString
    url: str
    rank: float | None


def full_text() -> bool:
    """PostgreSQL's full-text search where there is one; the plain search elsewhere (SQLite, in development)."""
    return connection.vendor == "postgresql"


def search(*, user, text: str, filters: Filters = Filters(), page: int = 1) -> tuple[Page, list[Result]]:
    """The page of applications `user` may see that match `text` and `filters`, best first, and their results."""
    applications = searchable(user).filter(filters.q())
    postgres = full_text()
    matches, annotate, order = (_postgres if postgres else _plain)(applications, text)
    paginator = CountedPaginator(matches, PER_PAGE, count=matches.count())
    page_ = paginator.get_page(page)
    rows = matches.select_related("round", "consortium__region", "category").only(
        "number",
        "title",
        "status",
        "consortium_id",
        "round__name",
        "consortium__name",
        "consortium__region__name",
        "category__name",
    )
    if not user.has_perm("applications.view_every_application"):
        rows = rows.annotate(assignment_id=_reader_assignment(user))
    offset = (page_.number - 1) * PER_PAGE
    page_.object_list = list(rows.annotate(**annotate).order_by(*order)[offset : offset + PER_PAGE])
    return page_, [_result(user, row, text, postgres) for row in page_.object_list]


def _postgres(applications: QuerySet, text: str):
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    title = Replace(Replace("title", Value(START), Value("")), Value(STOP), Value(""))
    annotate = {
        "rank": SearchRank(F("search_document__vector"), query),
        "marked_title": SearchHeadline(title, query, config=CONFIG, start_sel=START, stop_sel=STOP, highlight_all=True),
        "snippet": SearchHeadline(
            Left(
                Concat("search_document__summary", Value("\n"), "search_document__body", output_field=TextField()),
                HEADLINE_CHARS,
            ),
            query,
            config=CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        ),
    }
    return applications.filter(search_document__vector=query), annotate, ("-rank", "number")


def terms(text: str) -> tuple[list[str], list[str]]:
    """The words and "quoted phrases" to find, and the -excluded ones, of a websearch-style query (SQLite)."""
    wanted, unwanted = [], []
    for minus, phrase, word in re.findall(r'(-?)(?:"([^"]*)"|(\S+))', text):
        term = (phrase or word).strip(string.punctuation + "“”‘’ ").strip()
        if not term or (word and term.lower() == "or"):
            continue
        (unwanted if minus else wanted).append(term)
    return wanted, unwanted


def _contains(term: str) -> Q:
    return (
        Q(search_document__heading__icontains=term)
        | Q(search_document__summary__icontains=term)
        | Q(search_document__body__icontains=term)
    )


def _plain(applications: QuerySet, text: str):
    wanted, unwanted = terms(text)
    for term in wanted:
        applications = applications.filter(_contains(term))
    for term in unwanted:
        applications = applications.exclude(_contains(term))
    first = wanted[0] if wanted else ""
    in_title = Case(When(title__icontains=first, then=Value(0)), default=Value(1), output_field=IntegerField())
    annotate = {
        "in_title": in_title,
        "document_summary": F("search_document__summary"),
        "document_body": F("search_document__body"),
    }
    return applications, annotate, ("in_title", "number")


def _reader_assignment(user):
    """The id of the person's attested assignment to the application, where a reader's link leads."""
    return Subquery(
        Assignment.objects.filter(application=OuterRef("pk"), reader=user, status=Assignment.Status.ACCEPTED).values(
            "pk"
        )[:1]
    )


def _url(user, row) -> str:
    if user.has_perm("applications.view_every_application") or row.consortium_id in spoken_for(user):
        return row.get_absolute_url()
    return reverse("reviews:review", args=[row.assignment_id])


def highlighted(text: str) -> SafeString:
    """ts_headline's text, escaped, its marked matches in <mark> (the only markup it can carry)."""
    escaped = html.escape(text or "", quote=True)
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 - escaped above


def marked(text: str, words: list[str]) -> SafeString:
    """`text` escaped, every occurrence of `words` (any case) in <mark>."""
    if not words or not text:
        return mark_safe(html.escape(text or ""))  # noqa: S308 - escaped
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    return highlighted(pattern.sub(lambda m: START + m.group(0) + STOP, text.replace(START, "").replace(STOP, "")))


def excerpt(text: str, words: list[str]) -> str:
    """About SNIPPET_CHARS characters of `text` around the first of `words` found in it."""
    lowered = text.lower()
    found = [i for i in (lowered.find(w.lower()) for w in words) if i >= 0]
    start = max(0, min(found) - SNIPPET_CHARS // 3) if found else 0
    cut = " ".join(text[start : start + SNIPPET_CHARS].split())
    return ("… " if start else "") + cut + (" …" if start + SNIPPET_CHARS < len(text) else "")


def _result(user, row, text: str, postgres: bool) -> Result:
    if postgres:
        title, snippet, rank = highlighted(row.marked_title), highlighted(row.snippet), row.rank
    else:
        wanted, _ = terms(text)
        where = row.document_summary if any(w.lower() in row.document_summary.lower() for w in wanted) else ""
        title = marked(row.title, wanted)
        snippet = marked(excerpt(where or row.document_body or row.document_summary, wanted), wanted)
        rank = None
    return Result(application=row, title=title, snippet=snippet, url=_url(user, row), rank=rank)
