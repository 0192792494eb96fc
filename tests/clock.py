"""The site's clock in tests that live through months: ``clock.move_to(moment(date))`` (fixture ``clock``,
time-machine) sets the time every service reads (``timezone.now``, ``localdate``) to that day in Paris."""

import datetime
import zoneinfo

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def moment(day, hour=9):
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)
