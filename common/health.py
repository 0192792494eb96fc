"""Health endpoint for load balancers and monitoring: is the database answering, are jobs being run?

Anonymous and cheap: one query for the database, two aggregates over the task results table for the queue,
and, at most once per ``HEALTH_QUEUE_HEARTBEAT_SECONDS``, a heartbeat job put in the queue. It answers
counts and ages only, never a job's arguments or results.

The heartbeat is how a stopped worker shows when there is no real work: an idle queue looks healthy
whether or not ``db_worker`` runs, but a heartbeat job nobody runs grows old like any other waiting job,
and past ``HEALTH_QUEUE_MAX_AGE_SECONDS`` the endpoint answers 503.
"""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.models import Case, Count, F, Max, Min, Q, When
from django.db.models.functions import Greatest
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult, get_date_max


@task()
def heartbeat():
    """Does nothing: that a worker ran it is the news."""


HEARTBEAT_PATH = heartbeat.module_path
FAILED_WINDOW = datetime.timedelta(hours=1)


def database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def _seconds_since(moment, now):
    return None if moment is None else max(0, round((now - moment).total_seconds()))


def queue_status():
    """Jobs waiting (ready to run now, not those deferred to later), failed in the last hour (in all and by
    task: a notification email the mail server refused shows there), the age of the oldest waiting one,
    and when a worker last ran a heartbeat."""
    now = timezone.now()
    never = get_date_max()
    waiting = Q(status=TaskResultStatus.READY) & (Q(run_after=never) | Q(run_after__lte=now))
    is_heartbeat = Q(task_path=HEARTBEAT_PATH)
    try:
        stats = DBTaskResult.objects.aggregate(
            waiting=Count("pk", filter=waiting),
            # A deferred job waits from its run_after, not from when it was queued.
            oldest=Min(
                Case(When(run_after=never, then=F("enqueued_at")), default=Greatest("enqueued_at", "run_after")),
                filter=waiting,
            ),
            failed=Count("pk", filter=Q(status=TaskResultStatus.FAILED, finished_at__gte=now - FAILED_WINDOW)),
            heartbeat_waiting=Count("pk", filter=waiting & is_heartbeat),
            heartbeat_enqueued=Max("enqueued_at", filter=is_heartbeat),
            heartbeat_done=Max("finished_at", filter=is_heartbeat & Q(status=TaskResultStatus.SUCCESSFUL)),
        )
        failed_by_task = dict(
            DBTaskResult.objects.filter(status=TaskResultStatus.FAILED, finished_at__gte=now - FAILED_WINDOW)
            .values_list("task_path")
            .annotate(n=Count("pk"))
            .order_by("task_path")
        )
        _beat(stats, now)
    except DatabaseError as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    oldest = _seconds_since(stats["oldest"], now)
    max_age = settings.HEALTH_QUEUE_MAX_AGE_SECONDS
    status = {
        "ok": oldest is None or oldest <= max_age,
        "waiting": stats["waiting"],
        "failed_last_hour": stats["failed"],
        "failed_last_hour_by_task": failed_by_task,
        "oldest_waiting_seconds": oldest,
        "max_waiting_seconds": max_age,
        "last_heartbeat_seconds": _seconds_since(stats["heartbeat_done"], now),
    }
    if not status["ok"]:
        status["error"] = "Des tâches attendent depuis trop longtemps : aucun worker ne les exécute."
    return status


def _beat(stats, now):
    """Queues a heartbeat when none waits and the last one is older than the interval; drops the results
    of the previous ones but the newest, so the table does not grow."""
    interval = settings.HEALTH_QUEUE_HEARTBEAT_SECONDS
    if not interval or stats["heartbeat_waiting"]:
        return
    last = stats["heartbeat_enqueued"]
    if last is not None and now - last < datetime.timedelta(seconds=interval):
        return
    if stats["heartbeat_done"] is not None:
        DBTaskResult.objects.filter(task_path=HEARTBEAT_PATH, finished_at__lt=stats["heartbeat_done"]).delete()
    heartbeat.enqueue()


@login_not_required
@never_cache
def health(request):
    checks = {"database": database_status()}
    checks["queue"] = queue_status() if checks["database"]["ok"] else {"ok": False, "error": "database"}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
