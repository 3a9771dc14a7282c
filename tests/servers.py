"""The production web server as a real process, for the end-to-end tests and the serving benchmark: gunicorn with
gunicorn.conf.py and DJANGO_ENV=production, on a free loopback port, against a given database.

Requests to it act as the TLS-terminating proxy production has in front of it: plain HTTP on loopback with
`X-Forwarded-Proto: https` (PROXY_HEADERS), which BEHIND_TLS_PROXY=true makes Django believe, so every production
security setting stays on (the HTTPS redirect answers anything else with 301).
"""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import requests
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def production_server(*, database_url: str, workers: int | None = None, **env: str) -> Iterator[str]:
    """Run gunicorn with production settings until the block ends; yields its base URL (`http://127.0.0.1:PORT`).

    `workers` overrides gunicorn.conf.py's count (WEB_CONCURRENCY). The server shares this process's SECRET_KEY, as
    every process of one installation does (board credentials are encrypted with a key derived from it). `env` adds
    settings (e.g. LOG_LEVEL). Raises RuntimeError with the server's output when it does not answer within 30 s.
    Stopped with SIGTERM (gunicorn's graceful stop), then SIGKILL after its graceful timeout.
    """
    port = free_port()
    environment = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_TLS_PROXY": "true",
        "DATABASE_URL": database_url,
        "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_ACCESS_LOG": "",
        "LOG_LEVEL": "WARNING",
        **({"WEB_CONCURRENCY": str(workers)} if workers else {}),
        **env,
    }
    with tempfile.TemporaryFile("w+") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn"], cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            _wait_for(port, process, output)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for(port: int, process: subprocess.Popen, output) -> None:
    """Until the server answers an HTTP request on `port`; RuntimeError with its output if it exits or takes 30 s."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(requests.ConnectionError):
            requests.head(f"http://127.0.0.1:{port}/", headers=PROXY_HEADERS, timeout=5)
            return
        time.sleep(0.1)
    output.seek(0)
    raise RuntimeError(f"gunicorn did not start on port {port} (exit code {process.poll()}):\n{output.read()}")
