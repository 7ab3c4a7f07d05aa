"""What the API returns and takes, by topic; the views (../views/) decide who sees which rows."""
