"""The figures of the awards pages' charts (drawn by templates/includes/bar_chart.html): which amounts, on which
scale, with what note. Every amount was computed by the page's services; nothing here queries the database."""

from ccpt.lib import charts
from ccpt.lib.text import plural

from .services.plans import Money
from .services.reports import Dashboard


def program_money(figures: Dashboard) -> charts.Bars:
    """The program's money on one scale: what rounds may use, what they were given, committed, due and left."""
    return charts.bars(
        [
            ("Available for rounds", figures.available_for_rounds, "Appropriated less the set-aside"),
            ("Allocated to rounds", figures.allocated_to_rounds, "Funds available to the rounds"),
            ("Committed", figures.committed, f"To {plural(figures.awards, 'award')}"),
            ("Instalments due to date", figures.instalments_due, "Of committed awards, fiscal years begun"),
            ("Remaining", figures.remaining, "Available for rounds less committed"),
        ]
    )


def committed_by(rows) -> charts.Bars:
    """Committed money per round or region (reports.Row), on the scale of the largest, each noting its awards."""
    return charts.bars([(row.label, row.committed, plural(row.awards, "award")) for row in rows])


def plan_money(money: Money, categories: list, *, draft: bool) -> charts.Bars:
    """A round's money against its plan, on the scale of the funds available: what awards already took, what the
    plan recommends in each funding category (with its funding line), and what is left. `categories` are the page's
    CategoryPlan figures (services.plan_lines), summed over all their lines."""
    rows = [
        ("Funds available to the round", money.round_funds, ""),
        ("Committed by awards already made", money.round_committed, ""),
    ]
    if draft:
        rows.append(("Committed by this plan if approved", money.plan_total, ""))
    for group in categories:
        line = f"funding line at rank {group.funding_line}" if group.funding_line else "no funding line"
        funded = f"{group.funded_count} of {plural(group.count, 'application')} funded; {line}"
        if draft:
            rows.append((f"{group.category.name}: recommended", group.total, funded))
        else:  # approved: its lines became the awards counted above (less any declined since)
            funded += "; now awards, in the committed figure unless declined"
            rows.append((f"{group.category.name}: approved in this plan", group.total, funded))
    rows.append(("Left in the round", money.round_left, ""))
    return charts.bars(rows, scale=max(money.round_funds, *(value for _, value, _ in rows)))
