"""The lines of a funding plan as its page shows them: each funding category's figures over all its lines (funding
line, how many funded, their total), and one page of its lines in rank order. A round of 10,000 applications
shows as many lines as one of 200: the figures are summed by the database, the lines are read a page at a time."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, IntegerField, Max, Q, Sum, Value, When, Window
from django.db.models.functions import RowNumber

from ccpt.lib.money import ZERO
from grants.applications.models import long_texts
from grants.programs.models import FundingCategory

from ..models import FundingPlan, PlanLine

PAGE_SIZE = 100


@dataclass
class CategoryPlan:
    category: FundingCategory
    lines: list[PlanLine]  # the page shown, in rank order
    funding_line: int | None  # the last funded rank
    funded_count: int
    total: Decimal
    count: int = 0  # lines in the category
    page: Page | None = field(default=None, repr=False)  # which page of them `lines` is


def plan_by_category(
    plan: FundingPlan, *, category: int | None = None, page=None, per_page: int | None = None
) -> list[CategoryPlan]:
    """Every category of the plan's round: page `page` of the lines of `category` (a category's id), the first page
    of the others, PAGE_SIZE lines a page. Three queries, whatever the number of lines."""
    per_page = per_page or PAGE_SIZE
    figures = {
        row["category_id"]: row
        for row in PlanLine.objects.filter(plan=plan)
        .values("category_id")
        .annotate(
            count=Count("pk"),
            funded_count=Count("pk", filter=Q(funded=True)),
            total=Sum("amount", filter=Q(funded=True)),
            funding_line=Max("rank", filter=Q(funded=True)),
        )
        .order_by()
    }
    result = []
    for group in FundingCategory.objects.filter(round_id=plan.round_id):
        row = figures.get(group.pk, {})
        count = row.get("count", 0)
        shown = Paginator(range(count), per_page).get_page(page if group.pk == category else 1)
        result.append(
            CategoryPlan(
                group, [], row.get("funding_line"), row.get("funded_count", 0), row.get("total") or ZERO, count, shown
            )
        )
    by_category = {group.category.pk: group for group in result}
    for line in _page_lines(plan, {group.category.pk: group.page for group in result}):
        group = by_category[line.category_id]
        line.has_override = line.override_amount is not None or line.override_funded is not None
        line.is_funding_line = group.funding_line is not None and line.rank == group.funding_line
        group.lines.append(line)
    return result


def _page_lines(plan: FundingPlan, pages: dict[int, Page]) -> list[PlanLine]:
    """The lines on each category's page, in one query: numbered in rank order within their category, and kept
    from the first number of their category's page on, for a page."""
    if not pages:
        return []
    first = Case(
        *[When(category_id=pk, then=Value(page.start_index())) for pk, page in pages.items()],
        default=Value(1),
        output_field=IntegerField(),
    )
    place = Window(
        RowNumber(),
        partition_by=F("category_id"),
        order_by=[F("rank").asc(nulls_last=True), F("application__number").asc()],
    )
    per_page = next(iter(pages.values())).paginator.per_page
    # Numbered over the narrow (line, rank, number) rows only; the page's lines are then read whole.
    shown = (
        PlanLine.objects.filter(plan=plan)
        .annotate(place=place, first=first)
        .filter(place__gte=F("first"), place__lt=F("first") + per_page)
        .values("pk")
    )
    return list(
        PlanLine.objects.filter(pk__in=shown)
        .select_related("application__consortium__region", "application__score", "category", "override_by")
        .defer(*long_texts("application__"))
        .order_by("category__position", F("rank").asc(nulls_last=True), "application__number")
    )


def swap_choices(plan: FundingPlan) -> list[tuple[int, bool, str]]:
    """(line id, funded, label) for every line of the plan, in category and rank order, read narrowly: the swap
    form offers each funded application and each one not funded."""
    rows = (
        PlanLine.objects.filter(plan=plan)
        .order_by("category__position", F("rank").asc(nulls_last=True), "application__number")
        .values_list("pk", "funded", "rank", "application__number", "application__consortium__name")
    )
    return [(pk, funded, f"{number} {name} (rank {rank or '—'})") for pk, funded, rank, number, name in rows]
