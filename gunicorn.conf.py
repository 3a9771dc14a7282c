"""gunicorn's settings for the production web app (`make serve`, or `gunicorn recruitment.wsgi` from the checkout:
gunicorn reads this file from the working directory).

Sync workers, as gunicorn advises for a database-bound Django app: each request holds one worker, so the count is
the concurrency. WEB_CONCURRENCY workers (default 2 x cores + 1, gunicorn's rule of thumb), each recycled after about
1,000 requests (a slow leak in a library cannot grow without end). A request that takes longer than WEB_TIMEOUT
seconds (default 30) is killed and logged. SIGTERM stops gracefully: no new connections, the running requests get
WEB_GRACEFUL_TIMEOUT seconds (default 20). Access log lines go to stdout, errors to stderr.

Behind a TLS-terminating reverse proxy set BEHIND_TLS_PROXY=true (Django then believes its X-Forwarded-Proto) and
TRUSTED_PROXY_COUNT=1 (client addresses: recruitment/client_ip.py); gunicorn's own forwarded_allow_ips is left at its
default (127.0.0.1) since Django, not gunicorn, reads those headers here.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("WEB_BIND") or "127.0.0.1:8000"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)
worker_class = "sync"
# Django is imported once, before the workers are forked: they start at once and share its memory. Database
# connections are opened lazily by each worker, never inherited.
preload_app = True
timeout = int(os.environ.get("WEB_TIMEOUT") or 30)
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT") or 20)
max_requests = 1000
max_requests_jitter = 100
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None  # empty: no access log
# gunicorn's control socket (gunicornc, since 25) is not used here; off, so two servers on one host never share it.
control_socket_disable = True
errorlog = "-"
wsgi_app = "recruitment.wsgi:application"


def when_ready(server) -> None:
    """The app is loaded (preload_app) and no worker is forked yet: move every object made so far (Django, the
    URLconf, the templates' modules) out of the garbage collector's reach, as Python's `gc.freeze` documentation
    advises before forking. A worker's collections then scan only its requests' objects (shorter pauses, a shorter
    tail of slow requests: bench/api.py freezes its process the same way), and the pages it shares with the master
    stay shared, since the collector no longer writes to the frozen objects."""
    gc.freeze()
