"""The SQL queries each request makes, and the CPU time the server's process spends on it, for bench/pages.py: a
middleware that only that benchmark's settings add (first in MIDDLEWARE, so that it counts the other middleware's
queries too: session, user, audit trail).

A page answers with `X-Query-Count: <n>` and `X-Server-CPU: <ms>` (this worker's CPU time, the database server's
excluded: on a busy machine the wall clock also counts waiting for a CPU, this does not). A streamed response (a
CSV download) still works while its body is sent, after the headers are gone: its figures, its streaming included,
are written when the body ends ("<queries> <ms>") to the file named by the request's X-Bench-Request header in
BENCH_QUERY_DIR.
"""

import os
import time
from pathlib import Path

from django.db import connection

HEADER, CPU_HEADER = "X-Query-Count", "X-Server-CPU"
REQUEST_HEADER = "HTTP_X_BENCH_REQUEST"


class Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter, started = Counter(), time.process_time()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        if response.streaming:
            response.streaming_content = self._streamed(response.streaming_content, counter, started, request)
        else:
            response[HEADER] = str(counter.count)
            response[CPU_HEADER] = f"{(time.process_time() - started) * 1000:.2f}"
        return response

    @staticmethod
    def _streamed(content, counter: Counter, started: float, request):
        with connection.execute_wrapper(counter):
            yield from content
        directory, name = os.environ.get("BENCH_QUERY_DIR"), request.META.get(REQUEST_HEADER, "")
        if directory and name.isalnum():
            (Path(directory) / name).write_text(f"{counter.count} {(time.process_time() - started) * 1000:.2f}")
