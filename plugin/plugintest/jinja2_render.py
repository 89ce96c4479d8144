"""Renders Wazo plugin templates with Python's Jinja2, configured as
wazo-provd's TemplatePluginHelper configures it (a default Environment
whose loader searches var/templates then templates), for the tests that
compare phoneprovd with the real thing.

stdin: {"dirs": [...], "check": bool, "template": name, "context": value}
where dicts are encoded as {"__dict__": [[key, value], ...]} so that
integer keys and key order survive JSON. With "check", every template is
parsed and the first syntax error printed as "file:line: message" with
exit status 2. Otherwise the rendered template is written to stdout as
UTF-8 (as provd's dump() writes it)."""
import json
import os
import sys

import jinja2


def decode(v):
    if isinstance(v, dict):
        if "__dict__" in v:
            return {decode_key(k): decode(x) for k, x in v["__dict__"]}
        return {k: decode(x) for k, x in v.items()}
    if isinstance(v, list):
        return [decode(x) for x in v]
    return v


def decode_key(k):
    return k


req = json.load(sys.stdin)
env = jinja2.Environment(loader=jinja2.FileSystemLoader(req["dirs"]))
if req.get("check"):
    for name in env.list_templates():
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as e:
            print(f"{e.filename}:{e.lineno}: {e.message}")
            sys.exit(2)
    sys.exit(0)
tpl = env.get_template(req["template"])
out = "".join(tpl.generate(decode(req["context"])))
sys.stdout.buffer.write(out.encode("utf-8"))
