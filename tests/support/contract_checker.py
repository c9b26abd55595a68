#!/usr/bin/env python3
"""Checks HTTP responses against the daemon's OpenAPI 3.1 document.

One process serves a whole test binary (tests/support/contract.cpp starts it): starting
Python for each of the suite's thousands of responses would cost more than the tests. It
reads one JSON object a line on stdin and answers one a line on stdout:

  {"op": "document", "id": 1, "document": {...}}        -> {"ok": true}
  {"op": "check", "document": 1, "method": "GET", "target": "/api/v1/contacts?limit=2",
   "status": 200, "headers": {"content-type": "..."}, "body": "..."}
      -> {"ok": true} or {"ok": false, "operation": "GET /api/v1/contacts", "drift": "..."}

A response agrees with the document when its path and method match an operation (the path
by template, a literal segment before a {parameter}), its status is listed (or falls under
the operation's "default"), its media type is listed for that status, a JSON body is valid
against the listed schema (JSON Schema 2020-12, with the document's components), and each
header a client acts on (ETag, Location, Retry-After, Content-Disposition) is declared, as
is present every header the document marks required.

`body` holds the body only for JSON media types (others may be binary); `body_size` always.

The file named by the first argument lists the drifts known today, "METHOD /template STATUS"
a line: a drift of one of them answers {"ok": true, "known": "..."}; any other fails.
"""
import json
import os
import sys

from jsonschema import Draft202012Validator, FormatChecker

# Headers whose meaning a generated client needs to know of: each one sent must be declared.
CLIENT_HEADERS = ("etag", "location", "retry-after", "content-disposition")

documents = {}
known_drifts = set()
validators = {}
format_checker = FormatChecker()


def answer(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def media_type(content_type):
    return content_type.split(";", 1)[0].strip().lower()


def is_json(media):
    return media == "application/json" or media.endswith("+json")


def find_operation(document, method, path):
    """The operation of `method` on the template matching `path`: (template, operation or
    None when the path matches but not the method), or (None, None)."""
    segments = path.split("/")
    best = None
    for template, item in document.get("paths", {}).items():
        parts = template.split("/")
        if len(parts) != len(segments):
            continue
        literal = 0
        for part, segment in zip(parts, segments):
            if part.startswith("{") and part.endswith("}"):
                if not segment:
                    break
            elif part != segment:
                break
            else:
                literal += 1
        else:
            if best is None or literal > best[0]:
                best = (literal, template, item)
    if best is None:
        return None, None
    _, template, item = best
    return template, item.get(method.lower())


def listed_response(operation, status):
    """The response the document lists for `status`. "default" stands for the errors only: a
    client generated from the document takes it as one, so every success is listed."""
    responses = operation.get("responses", {})
    keys = (str(status), f"{status // 100}XX") + (("default",) if status >= 400 else ())
    for key in keys:
        if key in responses:
            return key, responses[key]
    return None, None


def validator_for(doc_id, key, schema):
    cache_key = (doc_id, key)
    v = validators.get(cache_key)
    if v is None:
        # The schema's own $refs ("#/components/schemas/Contact") resolve in the document's
        # components, carried next to it in the root that is validated.
        root = dict(schema)
        root["components"] = documents[doc_id].get("components", {})
        v = Draft202012Validator(root, format_checker=format_checker)
        validators[cache_key] = v
    return v


def problem_of(doc_id, body):
    """For an answer outside every operation (404 of an unknown path): a Problem."""
    schema = {"$ref": "#/components/schemas/Problem"}
    return first_error(validator_for(doc_id, "Problem", schema), body)


def first_error(validator, body):
    try:
        instance = json.loads(body)
    except ValueError as e:
        return f"the body is not JSON: {e}"
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    e = errors[0]
    where = "/".join(str(p) for p in e.absolute_path) or "(root)"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"body at {where}: {e.message}{more}"


def check(request):
    doc_id = request["document"]
    document = documents[doc_id]
    method = request["method"].upper()
    path = request["target"].split("?", 1)[0]
    status = request["status"]
    headers = {k.lower(): v for k, v in request.get("headers", {}).items()}
    media = media_type(headers.get("content-type", ""))
    body = request.get("body")
    template, operation = find_operation(document, method, path)
    if operation is None:
        name = f"{method} {template or path}"
        # A path no operation has, or a method the path does not take: refused with a Problem.
        if status in (404, 405):
            if media == "application/problem+json" and body is not None:
                error = problem_of(doc_id, body)
                if error:
                    return name, f"{status}: {error}"
            return name, None
        return name, f"no operation {method} for this path, yet it answered {status}"
    name = f"{method} {template}"
    key, response = listed_response(operation, status)
    if response is None:
        return name, f"status {status} is not listed (listed: {', '.join(operation.get('responses', {}))})"
    content = response.get("content")
    empty = request.get("body_size", 0) == 0
    if not content:
        if not empty and method != "HEAD":
            return name, f"{status} has a body ({media or 'no media type'}) where the document lists none"
    elif method != "HEAD" and not (empty and status in (204, 304)):
        listed = None
        for candidate in content:
            c = candidate.lower()
            if c == media or c == "*/*" or (c.endswith("/*") and media.startswith(c[:-1])):
                listed = candidate
                break
        if listed is None:
            return name, f"{status} answered media type '{media}', listed: {', '.join(content)}"
        schema = content[listed].get("schema")
        if schema is not None and is_json(media) and body is not None:
            error = first_error(validator_for(doc_id, (method, template, key, listed), schema), body)
            if error:
                return name, f"{status} {media} {error}"
    declared = {h.lower(): spec for h, spec in response.get("headers", {}).items()}
    for h in CLIENT_HEADERS:
        if h in headers and h not in declared:
            return name, f"{status} sends header {h} that the document does not declare"
    for h, spec in declared.items():
        if spec.get("required") and h not in headers:
            return name, f"{status} lacks header {h} that the document marks required"
    return name, None


def load_known(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                known_drifts.add(" ".join(line.split()))


def tally(checked, operations):
    """With RELANCE_CONTRACT_TALLY=FILE, appends what this checker saw: the number of
    responses checked and the operations they came from, one per line (the figures of the
    contract's coverage)."""
    path = os.environ.get("RELANCE_CONTRACT_TALLY")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"checked {checked}\n")
        for operation in sorted(operations):
            f.write(f"operation {operation}\n")


def main():
    if len(sys.argv) > 1:
        load_known(sys.argv[1])
    checked, operations = [0], set()
    try:
        serve(checked, operations)
    finally:
        tally(checked[0], operations)


def serve(checked, operations):
    for raw in sys.stdin.buffer:
        line = raw.decode("utf-8", errors="replace")
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            if request["op"] == "document":
                documents[request["id"]] = request["document"]
                answer({"ok": True})
            else:
                operation, drift = check(request)
                checked[0] += 1
                operations.add(operation)
                if drift is not None and f"{operation} {request['status']}" in known_drifts:
                    answer({"ok": True, "known": f"{operation}: {drift}"})
                else:
                    answer({"ok": drift is None, "operation": operation, "drift": drift})
        except Exception as e:  # a checker fault fails the test rather than hiding a drift
            answer({"ok": False, "operation": "?", "drift": f"the checker failed: {type(e).__name__}: {e}"})


if __name__ == "__main__":
    main()
