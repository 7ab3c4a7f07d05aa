"""The search page: anyone signed in, each finding only what they may see (rules.searchable)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .forms import SearchForm
from .services.query import search as find


@login_required
def search(request):
    form = SearchForm(request.GET or None)
    page = results = None
    if form.is_valid():
        page, results = find(
            user=request.user, text=form.cleaned_data["q"], filters=form.filters(), page=request.GET.get("page", 1)
        )
    return render(request, "search/search.html", {"form": form, "page": page, "results": results})
