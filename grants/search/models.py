"""What search reads of one application: its text in three weights and, on PostgreSQL, their tsvector."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from grants.applications.models import Application


class SearchDocument(models.Model):
    """Derived from the application, its narratives, programs, partners and consortium (services/index.py):
    never edited, rebuilt whenever one of those changes. The text is kept beside the vector for the snippets
    (ts_headline on PostgreSQL) and for the plain search on SQLite."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    heading = models.TextField(help_text="Weight A: the application number and title.")
    summary = models.TextField(help_text="Weight B: the summary, consortium and lead agency.")
    body = models.TextField(help_text="Weight C: every other section, narrative, program, partner and member.")
    # Weighted heading A, summary B, body C. PostgreSQL only (NULL elsewhere), with a GIN index made by migration
    # 0002: Django's GinIndex in Meta would not build on SQLite.
    vector = SearchVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Search document of application {self.application_id}"
