"""The API and dashboard in this process, optionally with the scheduler and workers so its buttons' jobs run."""

from __future__ import annotations

import signal
import sys
import threading

from workers.runtime import Runtime


def serve(rt: Runtime, host: str, port: int, *, fleet_concurrency: int | None = None) -> None:
    """Serve until Ctrl-C. With fleet_concurrency, also tick the scheduler and run worker processes."""
    import uvicorn

    from console.api import create_app
    from console.guard import refuse_insecure_bind
    from console.supervisor import WorkerFleet
    from scheduler.tick import run_scheduler

    refuse_insecure_bind(host, rt.settings.api_token)  # before any worker starts or any port is bound
    # uvicorn re-raises the SIGTERM it caught once it has stopped; exiting through Python then runs the
    # finally below, where the default handler would kill us and orphan the worker processes.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    fleet = WorkerFleet(concurrency=fleet_concurrency, settings=rt.settings) if fleet_concurrency else None
    stop = threading.Event()
    thread = threading.Thread(target=run_scheduler, args=(rt, stop), name="scheduler", daemon=True)
    if fleet is not None:
        fleet.start()
        thread.start()
    try:
        uvicorn.run(create_app(rt), host=host, port=port, log_level="warning")
    finally:  # uvicorn has handled Ctrl-C/SIGTERM by now: stop the rest cleanly
        stop.set()
        if fleet is not None:
            thread.join(timeout=10)
            fleet.stop()
