"""The production server under concurrent load: gunicorn (gunicorn.conf.py, production settings, its default worker
count) and 8 client threads, each with its own keep-alive connection, for the partner API's applications list (50
rows, as a superuser and as a user limited to some divisions) and the webhook receiver (signed JobSphere events,
each a new one). Per path: p50 / p95 / p99 of the answer times the clients saw and the requests a second the server
answered, beside the same path taken by one client alone (the ratio shows what sharing 2 cores with 8 clients costs).

Run with `make bench` (or `.venv/bin/python bench/serving.py`). The rows are bench/api.py's (BENCH_APPLICATIONS,
default 100,000; removed at the end, so it can run again on a database in DATABASE_URL), the events bench/webhooks.py's.
The clients run in this process: on a 2-core machine they take some of the CPU the server would have, so the
figures are a floor of what the server does alone. Figures go to var/bench/serving-<database>.json.
"""

import os
import threading
import time

from common import configure, row, timings_ms, write_figures

configure("serving", API_RATE="100000000/min")

import api as api_bench  # noqa: E402 - bench/api.py: the rows and the users
import requests  # noqa: E402
import webhooks as webhooks_bench  # noqa: E402 - bench/webhooks.py: the account and the signed events

from tests.servers import PROXY_HEADERS, production_server  # noqa: E402

CLIENTS = 8
REQUESTS_PER_CLIENT = int(os.environ.get("BENCH_SERVING_REQUESTS", "150"))


def load(call, *, clients: int) -> dict:
    """`clients` threads each make REQUESTS_PER_CLIENT calls (`call(session)` raises on a wrong answer) after two to
    warm up; the answer times' percentiles and the calls a second over the whole run."""
    samples: list[float] = []
    lock, errors = threading.Lock(), []

    def client() -> None:
        session = requests.Session()
        session.headers.update(PROXY_HEADERS)
        try:
            for _ in range(2):
                call(session)
            mine = []
            for _ in range(REQUESTS_PER_CLIENT):
                started = time.perf_counter()
                call(session)
                mine.append(time.perf_counter() - started)
            with lock:
                samples.extend(mine)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return {**timings_ms(samples), "per_second": round(len(samples) / elapsed)}


def main() -> None:
    users = api_bench.build()
    try:
        with (
            webhooks_bench.jobsphere_account() as secret,
            production_server(database_url=os.environ["DATABASE_URL"]) as base_url,
        ):
            figures = measure(base_url, users, secret)
    finally:
        api_bench.clean_up()
    summary = []
    for name, label in (
        ("applications_superuser", "API applications list, 50 rows, superuser"),
        ("applications_scoped", "API applications list, 50 rows, user limited to some divisions"),
        ("webhooks", "webhook receiver, a new signed event each"),
    ):
        many, alone = figures[name]["8 clients"], figures[name]["1 client"]
        summary.append(
            row(
                f"{label}: gunicorn, {CLIENTS} clients (p50 / p95 / p99)",
                f"{many['p50_ms']} / {many['p95_ms']} / {many['p99_ms']} ms, {many['per_second']}/s",
                baseline=f"1 client: {alone['p50_ms']} / {alone['p95_ms']} ms, {alone['per_second']}/s",
                ratio=f"{many['per_second'] / alone['per_second']:.1f}x the throughput",
                goal="a figure (issue 14: 8 clients, p95); every event answered 200 stored",
            )
        )
    write_figures("serving", {"clients": CLIENTS, "requests_per_client": REQUESTS_PER_CLIENT, **figures}, summary)


def measure(base_url: str, users: dict, secret: str) -> dict:
    """Each path with 8 clients and with 1; the events sent are checked to be stored, each once."""
    figures, sent = {}, []

    def applications(user):
        authorization = {"Authorization": user.token_header}

        def call(session) -> None:
            answer = session.get(f"{base_url}/api/v1/applications/?page_size=50", headers=authorization, timeout=30)
            assert answer.status_code == 200, answer.text[:300]
            assert len(answer.json()["results"]) == 50

        return call

    numbers, lock = iter(range(10**9)), threading.Lock()

    def webhook(session) -> None:
        with lock:
            number = next(numbers)
        body, headers = webhooks_bench.signed_event(secret, number)
        answer = session.post(
            f"{base_url}{webhooks_bench.WEBHOOK_URL}",
            data=body,
            headers={"Content-Type": "application/json", **headers},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text[:300]
        sent.append(number)

    for name, call in (
        ("applications_superuser", applications(users["superuser"])),
        ("applications_scoped", applications(users["scoped"])),
        ("webhooks", webhook),
    ):
        figures[name] = {"1 client": load(call, clients=1), "8 clients": load(call, clients=CLIENTS)}
    stored = webhooks_bench.stored_events()
    assert stored == len(sent), f"{len(sent)} events answered 200, {stored} stored"
    figures["webhook_events_stored"] = stored
    return figures


if __name__ == "__main__":
    main()
