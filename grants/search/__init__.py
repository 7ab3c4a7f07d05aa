"""Search across every round's applications: its own app, above applications and reviews.

It reads applications (their text, consortia and members) and asks reviews' rules which applications a reader
may read, so it sits above both (applications <- reviews <- search) rather than inside applications, which may
not import reviews. It owns one derived table, SearchDocument: each application's searched text and, on
PostgreSQL, its weighted tsvector with a GIN index, rebuilt after any change to that text (signals.py) and in
full by `manage.py rebuild_search_index`.
"""
