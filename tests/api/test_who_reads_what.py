"""Who reads what, field by field (tests/fixtures/readers_table.py): every field of every API
answer has a row, every GET route a read, and each kind of reader gets exactly what the table
says: the status, none of the fields of a group they are not in, the list items of what they
may read and no others, and their own part of what several organisations share. The pages
keep the same secrets. docs/who-reads-what.md is written from the same table.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

from tests.factories import Factory
from tests.fixtures.readers import Readers
from tests.fixtures.readers_table import (
    FIELDS,
    GROUPS,
    OBJECTS,
    PAGES,
    PEOPLE,
    READS,
    RESTRICTED,
    Read,
)

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "who-reads-what.md"


def _openapi(client) -> dict:
    return client.get("/api/v1/openapi.json").json


def _answer_schemas(document: dict) -> dict[str, dict]:
    """The components answers are made of: those a response names, and what they nest."""
    schemas = document["components"]["schemas"]
    named: set[str] = set()

    def walk(node, in_response=False):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref" and in_response:
                    named.add(value.rsplit("/", 1)[1])
                walk(value, in_response or key == "responses")
        elif isinstance(node, list):
            for value in node:
                walk(value, in_response)

    walk(document["paths"])
    frontier = set(named)
    while frontier:
        nested = set(
            re.findall(
                r'"#/components/schemas/([^"]+)"',
                json.dumps([schemas.get(name, {}) for name in frontier]),
            )
        )
        frontier = nested - named
        named |= nested
    return {name: schemas[name] for name in named if schemas.get(name, {}).get("properties")}


def test_every_field_of_every_answer_has_one_row(client):
    answers = _answer_schemas(_openapi(client))
    actual = {(name, prop) for name, schema in answers.items() for prop in schema["properties"]}
    listed = {(name, prop) for name, props in FIELDS.items() for prop in props.split()}
    assert listed & set(RESTRICTED) == set(), "a field with two rows"
    rows = listed | set(RESTRICTED)
    assert actual - rows == set(), "fields without a row in readers_table.FIELDS / RESTRICTED"
    assert rows - actual == set(), "rows for fields that no answer has"
    assert set(RESTRICTED.values()) <= set(GROUPS)


def _route_key(rule: str) -> str:
    return re.sub(r"<[^>]*>", "<>", rule)


def _read_key(read: Read) -> str:
    path = "/api/v1" + read.path.split("?")[0]
    return "/".join(
        ("<>" + part[part.index("}") + 1 :])
        if part.startswith("{") and "}." in part
        else "<>"
        if part.startswith("{")
        else part
        for part in path.split("/")
    )


def test_every_get_route_has_a_read(app):
    routes = {
        _route_key(rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1") and "GET" in rule.methods
    }
    reads = {_read_key(read) for read in READS}
    assert routes - reads == set(), "GET routes without a row in readers_table.READS"
    assert reads - routes == set(), "reads of routes that do not exist"


def _restricted_fields_seen(document, schema_name: str, body, reader: str, read: Read) -> list:
    """The fields of groups `reader` is not in that carry a value in `body`."""
    schemas = document["components"]["schemas"]
    members = {"managers": set(read.managers), "admins": {"admin"}}
    seen = []

    def walk(name, value):
        properties = schemas.get(name, {}).get("properties", {})
        if isinstance(value, list):
            for item in value:
                walk(name, item)
            return
        if not isinstance(value, dict):
            return
        for key, inner in value.items():
            group = RESTRICTED.get((name, key))
            own = value.get("mine") is True  # the booker reads their own busy time
            hidden = group in members and reader not in members[group] and not own
            if hidden and inner not in (None, [], ""):
                seen.append(f"{name}.{key}")
            nested = properties.get(key, {})
            ref = nested.get("$ref") or nested.get("items", {}).get("$ref")
            if ref:
                walk(ref.rsplit("/", 1)[1], inner)

    walk(schema_name, body)
    return seen


def _items(body) -> list:
    return body.get("items", []) if isinstance(body, dict) else []


def _shown(read: Read, body, target: dict) -> bool:
    field, _, key = read.item.partition("=")
    key = key or field
    field = field if "=" in read.item else "id"
    return any(item.get(field) == target[key] for item in _items(body))


def _claim_lines(world, reader, body, target):
    """The firm and admins read both providers' lines; the lab's managers the lab's alone, with
    totals over it."""
    claims = body.get("items", [body])
    found = [c for c in claims if c["id"] == target["claim"]]
    if not found:
        return  # a list without the claim: `shows` says whether that is right
    [claim] = found
    providers = {line["provider"] for line in claim["lines"]}
    if reader in ("admin", "enterprise", "company_colleague"):
        assert providers == {"lab", "third-university"}, reader
    else:
        assert providers == {"lab"}, reader
        lab_lines = claim["lines"]
        assert claim["enterprise_subsidy"] == lab_lines[0]["enterprise_subsidy"]
        assert claim["provider_subsidy"] == lab_lines[0]["provider_subsidy"]


def _evidence_lines(world, reader, response, target):
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8")
    other = f"line-{target['other_charge']}.json" in archive.namelist()
    if reader == "manager":
        assert not other and "THIRD-" not in everything and "核磁共振" not in everything
    else:
        assert other and "THIRD-" in everything


def _own_applications(world, reader, body, target):
    applicants = {item["applicant_id"] for item in body["items"]}
    if reader in ("researcher", "lab_member"):
        assert applicants == {world.users[reader].id}, reader
    else:
        assert applicants == {world.users["researcher"].id, world.users["lab_member"].id}


def _talks_for_the_parties(world, reader, response, target):
    assert world.SECRET_TALKS in response.get_data(as_text=True), reader


CHECKS = {
    "talks_for_the_parties": _talks_for_the_parties,
    "claim_lines": _claim_lines,
    "evidence_lines": _evidence_lines,
    "own_applications": _own_applications,
}


def _path(world, read: Read, target: dict) -> str:
    return "/api/v1" + read.path.format_map(world.path_fields(target))


def _read_as_everyone(client, world, document, read: Read) -> list[str]:
    """What differs from the table when each reader reads `read` (empty when all is right)."""
    target = world.make_target(read.target)
    path = _path(world, read, target)
    statuses, problems, shows = [], [], []
    for reader in PEOPLE:
        response = client.get(path, headers=world.headers(reader))
        response.get_data()  # a streamed download ends its request here
        response.close()
        statuses.append(str(response.status_code))
        if response.status_code != 200:
            shows.append("-")
            continue
        body = response.get_json(silent=True)
        if read.schema and body is not None:
            problems += [
                f"{read.path}: {reader} reads {leak}"
                for leak in _restricted_fields_seen(document, read.schema, body, reader, read)
            ]
        if read.item:
            shows.append("y" if _shown(read, body, target) else "n")
        if read.check:
            try:
                CHECKS[read.check](world, reader, body if body is not None else response, target)
            except AssertionError as error:
                problems.append(f"{read.path}: {read.check} as {reader}: {error}")
    if " ".join(statuses) != read.statuses:
        problems.append(f"{read.path} ({read.target}): {' '.join(statuses)}, not {read.statuses}")
    if read.item and "".join(shows) != read.shows:
        problems.append(f"{read.path}: its list shows {''.join(shows)}, not {read.shows}")
    return problems


def test_each_reader_reads_what_the_table_says(client, make):
    """One world of readers for the whole table (building it is the dear part), a fresh
    target for each read."""
    world = Readers(client, make)
    document = _openapi(client)
    problems = [
        problem for read in READS for problem in _read_as_everyone(client, world, document, read)
    ]
    assert problems == []


def _signed_in_clients(app, world) -> dict:
    clients = {}
    for reader in PEOPLE:
        clients[reader] = app.test_client()
        if reader != "anonymous":
            user = world.users[reader]
            signed = clients[reader].post(
                "/login", data={"email": user.email, "password": Factory.PASSWORD}
            )
            assert signed.status_code == 302, reader
    return clients


def _status(client, path, **kwargs) -> tuple[int, object]:
    response = client.get(path, **kwargs)
    response.get_data()  # a streamed download ends its request here
    response.close()
    return response.status_code, response


def test_the_pages_show_each_reader_what_the_api_does(app, client, make):
    """The pages read through the same access rules: each reader reads a page exactly when the
    API lets them read its route, and an anonymous reader is sent to sign in."""
    world = Readers(client, make)
    pages = _signed_in_clients(app, world)
    problems = []
    for page in PAGES:
        fields = world.path_fields(world.make_target(page.target))
        api_path, page_path = "/api/v1" + page.api.format_map(fields), page.path.format_map(fields)
        for reader in PEOPLE:
            api, _answer = _status(client, api_path, headers=world.headers(reader))
            seen, response = _status(pages[reader], page_path)
            if (api == 200) != (seen == 200) or (api == 401 and seen != 302):
                problems.append(f"{page_path} as {reader}: page {seen}, API {api}")
            elif seen == 200 and page.check:
                try:
                    CHECKS[page.check](world, reader, response, fields)
                except AssertionError as error:
                    problems.append(f"{page_path}: {page.check} as {reader}: {error}")
    assert problems == []


def render_document() -> str:
    """docs/who-reads-what.md, from the table."""
    lines = [
        "# Who reads what",
        "",
        "Written from `tests/fixtures/readers_table.py` (the tests fail when they differ); the",
        "features' `access.py` decide it, `tests/api/test_who_reads_what.py` checks it over the",
        "API and the pages for every kind of reader.",
        "",
        "## Who reads each kind of object",
        "",
        "| object | read by |",
        "|---|---|",
        *(f"| {name} | {readers} |" for name, readers in OBJECTS.items()),
        "",
        "## Fields read by fewer than the object's readers",
        "",
        "Every other field of an answer is read by whoever reads its object.",
        "",
        "| answer | field | read by |",
        "|---|---|---|",
        *(
            f"| {schema} | `{field}` | {GROUPS[group]} |"
            for (schema, field), group in RESTRICTED.items()
        ),
        "",
        "## Pages",
        "",
        "Each page is read by exactly those who may read the API route beside it (signed in",
        "through the login form; the anonymous reader is sent to sign in where the API says 401).",
        "",
        "| page | API route |",
        "|---|---|",
        *(f"| `{page.path}` | `{page.api}` |" for page in PAGES),
        "",
        "## Every field of every answer",
        "",
        *(
            f"- **{schema}**: {', '.join(f'`{f}`' for f in props.split())}"
            for schema, props in sorted(FIELDS.items())
        ),
        "",
    ]
    return "\n".join(lines)


def test_the_document_is_written_from_the_table():
    assert DOCUMENT.read_text(encoding="utf-8") == render_document(), (
        "run: python -c 'from tests.api.test_who_reads_what import render_document as r; "
        'open("docs/who-reads-what.md", "w").write(r())\''
    )
