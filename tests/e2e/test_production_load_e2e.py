"""The webhook receiver under load behind the production server (issue 14): gunicorn with production settings,
8 concurrent senders for LOAD_SECONDS (30 by default) of signed JobSphere `application.received` events, a third of
them sent again (by any sender, often while the first copy is still being stored), and a real task worker making the
applications. Nothing is lost (every event answered 200 and stored once) and nothing is made twice (one application
per board application).
"""

import os
import random
import threading
import time

import pytest
import requests

from boards.models import InboundEvent, InboundStatus
from boards.webhooks import sign_timestamped
from recruitment.models import Application
from tests.e2e.conftest import SECRET, received_body, shared_database_url, start_worker, stop_worker, wait_until
from tests.servers import PROXY_HEADERS, production_server

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("board_sessions_closed"),
]

SENDERS = 8
LOAD_SECONDS = float(os.environ.get("LOAD_SECONDS", "30"))


class Senders:
    """8 threads posting signed events to the receiver until the time is up; what each sent and every answer."""

    def __init__(self, *, url: str, body_for) -> None:
        self.url, self.body_for = url, body_for
        self.sent: list[str] = []  # event ids, the first time each was sent
        self.answers: list[int] = []
        self.lock = threading.Lock()

    def run(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        threads = [threading.Thread(target=self._send, args=(n, deadline)) for n in range(SENDERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _send(self, sender: int, deadline: float) -> None:
        session, rng, count = requests.Session(), random.Random(sender), 0
        while time.monotonic() < deadline:
            with self.lock:
                again = bool(self.sent) and rng.random() < 1 / 3
                event_id = rng.choice(self.sent) if again else f"evt_load_{sender}_{count}"
            if not again:
                count += 1
            body = self.body_for(event_id)
            signature = sign_timestamped(secret=SECRET, body=body, timestamp=int(time.time()))
            answer = session.post(
                self.url,
                data=body,
                headers={"Content-Type": "application/json", "X-JobSphere-Signature": signature, **PROXY_HEADERS},
                timeout=30,
            )
            with self.lock:
                self.answers.append(answer.status_code)
                if not again:
                    self.sent.append(event_id)


def test_8_senders_for_30_s_behind_gunicorn_lose_nothing_and_make_nothing_twice(live_job, live_server, worker):
    def body_for(event_id: str) -> bytes:
        return received_body(live_job, live_server, event_id=event_id, application_id=event_id.replace("evt", "app"))

    with production_server(database_url=shared_database_url(), workers=4) as base_url:
        senders = Senders(url=f"{base_url}/boards/jobsphere/webhook/", body_for=body_for)
        senders.run(LOAD_SECONDS)
    sent = set(senders.sent)
    assert len(senders.answers) > len(sent) >= SENDERS, "the load never got going"
    assert set(senders.answers) == {200}
    events = InboundEvent.objects.filter(event_id__startswith="evt_load_")
    assert sorted(events.values_list("event_id", flat=True)) == sorted(sent)  # each stored, once
    # A second worker shares the processing, as production would run it.
    helper = start_worker(live_server)
    try:
        wait_until(lambda: not events.exclude(status=InboundStatus.PROCESSED).exists(), timeout=600, interval=1)
    finally:
        stop_worker(helper)
    made = Application.objects.filter(source="jobsphere", vacancy=live_job.vacancy)
    assert sorted(made.values_list("source_reference", flat=True)) == sorted(i.replace("evt", "app") for i in sent)
    assert set(events.values_list("application_id", flat=True)) == set(made.values_list("pk", flat=True))
    print(f"{len(senders.answers)} requests, {len(sent)} events, {len(made)} applications in {LOAD_SECONDS} s")
