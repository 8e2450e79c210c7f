"""Gunicorn hooks for the soak's servers: each request's wall time and its thread's CPU time.

Written to SOAK_TIMING_LOG (one line a request: method, path, status, wall ms,
CPU ms), so a slow request can be told apart as work done (CPU) or waiting
(for a lock, the database, Redis, or a core on a busy machine).
"""

import os
import time


def pre_request(worker, req):
    req.soak_began = (time.perf_counter(), time.thread_time())


def post_request(worker, req, environ, resp):
    wall, cpu = time.perf_counter() - req.soak_began[0], time.thread_time() - req.soak_began[1]
    status = str(resp.status).split(" ", 1)[0]
    with open(os.environ["SOAK_TIMING_LOG"], "a") as log:
        log.write(f"{req.method} {req.path} {status} {wall * 1000:.1f} {cpu * 1000:.1f} {os.getpid()}\n")
