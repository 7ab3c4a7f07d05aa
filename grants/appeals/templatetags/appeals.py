"""The appeal link on an application's results page (a template of the reviews app, which imports nothing of
appeals): shown to the lead contact while an appeal can be filed, and to anyone who may see a filed one."""

from django import template

from ..services import filing_problem

register = template.Library()


@register.inclusion_tag("appeals/_results_link.html", takes_context=True)
def appeal_link(context, application):
    user = context["request"].user
    appeals = [a for a in application.appeals.order_by("-filed_at") if user.has_perm("appeals.view_appeal", a)]
    return {
        "application": application,
        "may_file": not filing_problem(application, user),
        "appeals": appeals,
    }
