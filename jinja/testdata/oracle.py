"""Render templates with Python's Jinja2, configured as Wazo provd does.

Reads a JSON request on stdin:
  {"dirs": [search path...],
   "jobs": [{"id": ..., "name": template name | "source": template text,
             "context": {...}}]}
and writes {"<id>": {"out": rendered text} | {"err": "ExceptionClass: message",
"line": template line, "file": template file}}.
A JSON object {"__int_keys__": {...}} stands for a dict with int keys (JSON
keys are strings; provd's Digium plugin builds XX_funckeys with int keys).
The environment has provd's defaults: no autoescape, trim_blocks and
lstrip_blocks off, keep_trailing_newline off, the default Undefined.
"""
import json
import resource
import sys
import traceback

import jinja2


def int_keys(obj):
    if len(obj) == 1 and "__int_keys__" in obj:
        return {int(k): v for k, v in obj["__int_keys__"].items()}
    return obj


def where(e):
    """The template file and line an exception points at, if any."""
    if isinstance(e, jinja2.TemplateSyntaxError):
        return {"line": e.lineno, "file": e.filename or e.name or "<template>"}
    for frame in reversed(traceback.extract_tb(e.__traceback__)):
        if frame.filename == "<template>" or frame.filename.endswith(".tpl"):
            return {"line": frame.lineno, "file": frame.filename}
    return {}


def main():
    # A runaway template fails with MemoryError instead of taking the
    # machine's memory.
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    req = json.load(sys.stdin, object_hook=int_keys)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(req["dirs"]))
    res = {}
    for job in req["jobs"]:
        try:
            if "source" in job:
                tpl = env.from_string(job["source"])
            else:
                tpl = env.get_template(job["name"])
            res[job["id"]] = {"out": tpl.render(job["context"])}
        except Exception as e:  # report the class: Go must fail the same way
            res[job["id"]] = dict(err="%s: %s" % (type(e).__name__, e), **where(e))
    json.dump(res, sys.stdout)


if __name__ == "__main__":
    main()
