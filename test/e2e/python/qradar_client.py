"""A QRadar REST client as IBM's api-samples write one: Python's standard library only
(urllib.request), JSON in and out, the SEC token or Basic credentials on every request, the
Version header, and the JSON `code` read from every error body.

Run by test/e2e/qradar-client.test.ts against the local stack behind a TLS terminator:

    python3 qradar_client.py https://127.0.0.1:PORT CA_FILE

with QRADAR_SEC_TOKEN, QRADAR_USER and QRADAR_PASSWORD in the environment. Prints one JSON
object per step on standard output.
"""

import base64
import json
import os
import re
import ssl
import sys
import urllib.error
import urllib.request


class RestApiClient:
    def __init__(self, server, cafile, version="26.0", token=None, user=None, password=None):
        self.server = server.rstrip("/") + "/api/"
        self.context = ssl.create_default_context(cafile=cafile)
        self.headers = {"Accept": "application/json", "Version": version}
        if token is not None:
            self.headers["SEC"] = token
        else:
            pair = f"{user}:{password}".encode("utf-8")
            self.headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")

    def call_api(self, endpoint, method="GET", headers=None):
        request = urllib.request.Request(
            self.server + endpoint, headers={**self.headers, **(headers or {})}, method=method
        )
        try:
            with urllib.request.urlopen(request, context=self.context) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode("utf-8")


def step(name, outcome):
    status, headers, text = outcome
    # Every QRadar error is JSON with a numeric `code`, whatever the status: read it as a
    # client would. Python's int keeps every digit of a Long.
    body = json.loads(text)
    if status >= 400:
        assert isinstance(body["code"], int), text
    print(json.dumps({"step": name, "status": status, "headers": headers, "body": body, "text": text}), flush=True)


def list_all(client, endpoint, page_size):
    """Every item of a list, as QRadar clients page one: Range pages until Content-Range says
    the last item came (or a page starts past the end). One step per page."""
    items, first, page = [], 0, 0
    while True:
        outcome = client.call_api(endpoint, headers={"Range": f"items={first}-{first + page_size - 1}"})
        step(f"list-page-{page}", outcome)
        status, headers, text = outcome
        if status != 200:
            raise SystemExit(f"list page {page}: {status} {text}")
        match = re.fullmatch(r"items (?:(\d+)-(\d+)|\*)/(\d+)", headers["Content-Range"])
        if match is None:
            raise SystemExit(f"list page {page}: Content-Range {headers['Content-Range']!r}")
        body = json.loads(text)
        if match.group(1) is None:
            return items, page + 1
        start, last, total = (int(group) for group in match.groups())
        assert start == first and last - start + 1 == len(body), headers["Content-Range"]
        items.extend(body)
        page += 1
        if last + 1 >= total:
            return items, page
        first = last + 1


def main():
    server, cafile = sys.argv[1], sys.argv[2]
    token = os.environ["QRADAR_SEC_TOKEN"]
    sec = RestApiClient(server, cafile, token=token)
    # IBM's samples validate a new configuration with the versions list, filtered.
    step("versions", sec.call_api('help/versions?filter=version%3D%2226.0%22'))
    step(
        "restore-sec",
        sec.call_api(
            "backup_and_restore/restores/9007199254740993?fields=id,host_id,status",
            headers={"Range": "items=0-49"},
        ),
    )
    basic = RestApiClient(
        server, cafile, version="20.0", user=os.environ["QRADAR_USER"], password=os.environ["QRADAR_PASSWORD"]
    )
    step("restore-basic", basic.call_api("backup_and_restore/restores/6?fields=id,status,groups"))
    # The list, paged three at a time until Content-Range says it is done.
    items, pages = list_all(sec, "backup_and_restore/restores?sort=-time_initiated&fields=id,status,time_initiated", 3)
    print(json.dumps({"step": "list-all", "ids": [str(item["id"]) for item in items], "pages": pages}), flush=True)
    # An unencoded "+" arrives as a space: still ascending.
    step("list-plus", sec.call_api("backup_and_restore/restores?sort=+id&fields=id"))
    step("list-bad-sort", sec.call_api("backup_and_restore/restores?sort=status"))
    step("not-found", sec.call_api("siem/offenses"))
    step("not-allowed", sec.call_api("backup_and_restore/restores/1", method="DELETE"))
    step("removed-version", RestApiClient(server, cafile, version="3.0", token=token).call_api("help/versions"))


if __name__ == "__main__":
    main()
