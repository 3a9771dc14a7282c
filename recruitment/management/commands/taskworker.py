"""Run the django-q2 task cluster so that SIGTERM (or Ctrl-C) always stops it, within a bounded time.

`manage.py qcluster` stops by waiting for every running task to finish, with no limit: a task stuck in a slow call
keeps it alive until someone sends SIGKILL. This command runs `qcluster` in its own process group, passes SIGTERM on
to its main process, gives the running tasks the cluster's task timeout (`Q_CLUSTER["timeout"]`) to finish, then
kills the whole group. Nothing is lost when it has to: every task here is safe to run again, claims expire after
their lease, and django-q2 delivers an unfinished task again (the upkeep schedule resumes the rest). Use it wherever a
worker runs (`make run`, production, the end-to-end tests).
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the task cluster (qcluster); SIGTERM or Ctrl-C stops it within the task timeout."

    def handle(self, *args, **options) -> None:
        manage = str(settings.BASE_DIR / "manage.py")
        cluster = subprocess.Popen([sys.executable, manage, "qcluster"], start_new_session=True)  # noqa: S603 - ours
        stopping = []

        def stop(signum, frame) -> None:
            if not stopping:
                stopping.append(time.monotonic())
                # To the cluster's main process only: it stops its own workers in order (a SIGTERM to each of them
                # as well leaves the cluster waiting for children that will never report back).
                cluster.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        grace = settings.Q_CLUSTER["timeout"] + 5
        while cluster.poll() is None:
            if stopping and time.monotonic() - stopping[0] > grace:
                self.stderr.write(f"Tasks still running after {grace} s: stopped; they will run again.")
                os.killpg(cluster.pid, signal.SIGKILL)
                cluster.wait()
                break
            time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError):  # worker processes the cluster left behind
            os.killpg(cluster.pid, signal.SIGKILL)
        if not stopping and cluster.returncode:
            sys.exit(cluster.returncode)
