"""Oracle for TestTimezoneInfoMatchesPython: prints, for every zone the
tz database has and for the year given, what wazo-provd's tzinform
computes, as JSON lines. It reads each zone's footer and parses it with
CPython's own zoneinfo parser, then follows tzinform's steps: standard
offset, DST save, the year's transitions read as UTC wall-clock times,
week of month from %W and the ISO weekday."""
import json
import sys
import zoneinfo
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo._zoneinfo import _parse_tz_str

year = int(sys.argv[1])
base = Path(sys.argv[2])
names = sys.argv[3:] or sorted(zoneinfo.available_timezones())


def week_of_month(dt):
    return int(dt.strftime("%W")) - int(dt.replace(day=1).strftime("%W")) + 1


for name in names:
    try:
        lines = (base / name).read_bytes().splitlines(keepends=True)
        zone = _parse_tz_str(lines[-1].decode("ascii").strip("\n"))
    except (OSError, ValueError, IndexError, UnicodeDecodeError):
        print(json.dumps({"name": name, "error": True}))
        continue
    std = getattr(zone, "std", zone)
    offset = int(std.utcoff.total_seconds())
    out = {"name": name, "utcoffset": offset, "dst": None}
    if hasattr(zone, "transitions"):
        save = int(zone.dst.dstoff.total_seconds())
        a, b = zone.transitions(year)
        changes = []
        for epoch in (a, b):
            dt = datetime.fromtimestamp(epoch, tz=timezone.utc)
            changes.append({
                "month": dt.month,
                "day": f"W{week_of_month(dt)}.{dt.isoweekday()}",
                "time": dt.hour * 3600 + dt.minute * 60 + dt.second,
            })
        out["dst"] = {"start": changes[0], "end": changes[1], "save": save}
    print(json.dumps(out))
