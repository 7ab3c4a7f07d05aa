"""The API's views by topic. Each list shows what the site would list for the person (the same querysets and rules);
each object is the site's rule's to allow (403 otherwise, 404 when there is none)."""
