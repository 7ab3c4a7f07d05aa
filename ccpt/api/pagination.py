from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """?page=2&page_size=100, at most CCPT_API_MAX_PAGE_SIZE a page."""

    page_size_query_param = "page_size"

    @property
    def max_page_size(self):
        return settings.CCPT_API_MAX_PAGE_SIZE
