"""The served dashboard's own Streamlit routes, as an attacker reaches them without a browser tab of
the dashboard: the websocket (``/_stcore/stream``), the upload route, ``/media/…`` and ``/_stcore/metrics``.

- Nobody empties the server's caches: a ``clear_cache`` message, signed out or signed in, leaves every
  cached read in place (Streamlit's own cache figures, read before and after).
- Upload URLs only for a signed-in session whose role uploads on the page it is on (staff on Records);
  the upload route refuses a file for a session that was given no URL, and files over 15 MB (the largest
  file attached to a record).
- A download's ``/media/…`` file only for the signed-in user whose session made it; a backup's once; a page's
  image (a record's photo) only with the cookie of a user signed in in a session that shows it.
- Only a page of the dashboard's own origin (scheme, host and port) opens a websocket or uses the
  cookie routes: a page on another port of the same host cannot read the loan desk.
- ``/_stcore/metrics`` only for a signed-in administrator.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
import uuid
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from sqlmodel import Session
from websockets.exceptions import InvalidStatus

from dashboard.bench_pages import PageClient
from dashboard.db import make_engine
from dashboard.i18n import CATALOGS
from dashboard.services.sign_in import sign_in, sign_out
from tests.e2e.conftest import signed_in
from tests.e2e.server import IMPORT_FILE_INPUT, settle

pytestmark = pytest.mark.slow

ZH = CATALOGS["zh"]
SAMPLES = Path(__file__).resolve().parents[2] / "seed" / "samples"


def http(method: str, url: str, headers: dict[str, str] | None = None,
         data: bytes | None = None) -> tuple[int, Message, bytes]:
    """Status, headers and body of one request; an error status is an answer, not an exception."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status), response.headers, response.read()
    except urllib.error.HTTPError as error:
        return int(error.code), error.headers, error.read()


def token_of(database_url: str, username: str) -> str:
    """A new signed-in session of the demo user ``username``: its token."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        token = sign_in(session=session, username=username, password="park-demo").token
        session.commit()
    engine.dispose()
    return token


def cookie(token: str) -> dict[str, str]:
    return {"Cookie": f"park_safety_session={token}"}


def cached_reads(url: str, admin: str, *, showing: str) -> dict[str, float]:
    """Streamlit's own figures for ``st.cache_data``: bytes held per cached function (from the metrics route),
    asked for until they show a function whose name holds ``showing``. The route keeps its figures for up to
    5 s, so a function cached after the figures were made proves they were made again after it."""
    deadline = time.monotonic() + 30
    while True:
        status, _, body = http("GET", f"{url}/_stcore/metrics?families=cache_memory_bytes", cookie(admin))
        assert status == 200
        held: dict[str, float] = {}
        for line in body.decode().splitlines():
            if line.startswith("cache_memory_bytes{") and 'cache_type="st_cache_data"' in line:
                labels, _, value = line.rpartition(" ")
                held[labels] = held.get(labels, 0.0) + float(value)
        if any(showing in labels and value > 0 for labels, value in held.items()):
            return held
        assert time.monotonic() < deadline, f"the cache figures never showed {showing}: {sorted(held)}"
        time.sleep(0.25)  # the next look; the route answers from its own 5-second cache meanwhile


def heartbeat(client: PageClient) -> None:
    """A round trip: every message sent before it has been handled once its answer arrives."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    message = BackMsg()
    message.app_heartbeat = True
    client.send(message)
    client.receive("heartbeat_ack", timeout_s=30)


def clear_cache(client: PageClient) -> None:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    message = BackMsg()
    message.clear_cache = True
    client.send(message)
    heartbeat(client)


def upload_urls(client: PageClient) -> list[str]:
    """Ask for one upload URL, as ``st.file_uploader`` does when a file is picked: the URLs given."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    message = BackMsg()
    message.file_urls_request.request_id = uuid.uuid4().hex
    message.file_urls_request.file_names.append("hazards.csv")
    client.send(message)
    answer = client.receive("file_urls_response", timeout_s=30)
    return [urls.upload_url for urls in answer.file_urls_response.file_urls]


def session_id_of(client: PageClient) -> str:
    """The Streamlit session id of ``client``'s last page (told in its ``new_session`` message)."""
    for message in client.messages:
        if message.WhichOneof("type") == "new_session":
            return str(message.new_session.initialize.session_id)
    raise AssertionError("the page's run told no session id")


def xsrf_token(url: str) -> str:
    _, headers, _ = http("GET", f"{url}/_stcore/health")
    for line in headers.get_all("Set-Cookie") or []:
        name, _, rest = line.partition("=")
        if name == "_streamlit_xsrf":
            return rest.split(";")[0].strip('"')
    raise AssertionError("XSRF protection is on, so the health route sets the XSRF cookie")


def put_file(url: str, path: str, size: int) -> int:
    """PUT a file of ``size`` bytes to the upload route at ``path`` with a valid XSRF token: the status."""
    token = xsrf_token(url)
    boundary = "parksafetyboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hazards.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + b"x" * size + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": f"_streamlit_xsrf={token}",
               "X-Xsrftoken": token}
    return http("PUT", f"{url}{path}", headers, body)[0]


def put_announced(url: str, path: str, size: int) -> int:
    """Announce a PUT of ``size`` bytes to the upload route (``Expect: 100-continue``, as a careful client
    does) and send nothing until the server agrees: the status it answers with."""
    import http.client

    token = xsrf_token(url)
    split = urlsplit(url)
    connection = http.client.HTTPConnection(split.hostname or "127.0.0.1", split.port, timeout=60)
    try:
        connection.putrequest("PUT", path)
        for name, value in {"Content-Type": "multipart/form-data; boundary=parksafetyboundary",
                            "Content-Length": str(size), "Expect": "100-continue",
                            "Cookie": f"_streamlit_xsrf={token}", "X-Xsrftoken": token}.items():
            connection.putheader(name, value)
        connection.endheaders()
        return int(connection.getresponse().status)
    finally:
        connection.close()


def deferred_download(client: PageClient, label_part: str) -> str:
    """Click the download button whose label contains ``label_part`` on ``client``'s last page, as the
    browser does (the server makes the file then): the ``/media/…`` path it answers with."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    for forward in client.messages:
        if forward.WhichOneof("type") != "delta" or forward.delta.WhichOneof("type") != "new_element":
            continue
        element = forward.delta.new_element
        if element.WhichOneof("type") == "download_button" and label_part in element.download_button.label:
            message = BackMsg()
            message.backend_operation_request.request_id = uuid.uuid4().hex
            message.backend_operation_request.session_id = session_id_of(client)
            message.backend_operation_request.deferred_file.file_id = element.download_button.deferred_file_id
            client.send(message)
            answer = client.receive("backend_operation_response", timeout_s=120).backend_operation_response
            assert not answer.error_msg, answer.error_msg
            return str(answer.deferred_file.url)
    raise AssertionError(f"no download button {label_part!r} on the page")


# --- item 2: nobody empties the caches --------------------------------------------------------------


def test_a_clear_cache_message_leaves_every_cached_read_in_place(served: tuple[str, str]) -> None:
    url, database_url = served
    admin = token_of(database_url, "admin")
    viewer = PageClient(url, admin, "zh")
    try:
        assert not viewer.open("").exceptions
        before = cached_reads(url, admin, showing="park_summary")  # the overview's reads are cached
        anonymous = PageClient(url, None, "zh")
        committee = PageClient(url, token_of(database_url, "committee"), "zh")
        try:
            assert not committee.open("").exceptions
            clear_cache(anonymous)
            clear_cache(committee)
        finally:
            anonymous.close()
            committee.close()
        assert not viewer.open("heatmaps").exceptions  # a read cached after the clears, to wait for
        after = cached_reads(url, admin, showing="heatmaps")
        assert {name for name, held in after.items() if held > 0} >= {name for name, held in before.items() if held > 0}
        assert sum(after.values()) >= sum(before.values())
        assert not viewer.open("").exceptions  # and the next page is served from them
    finally:
        viewer.close()


# --- item 3: upload URLs and the upload route --------------------------------------------------------


def test_upload_urls_go_only_to_a_role_that_uploads_on_its_page(served: tuple[str, str]) -> None:
    url, database_url = served
    anonymous = PageClient(url, None, "zh")
    committee = PageClient(url, token_of(database_url, "committee"), "zh")
    staff = PageClient(url, token_of(database_url, "staff"), "zh")
    try:
        assert not anonymous.open("").exceptions  # the sign-in form
        assert upload_urls(anonymous) == []
        # the session exists, but it was given no URL: its files are refused
        assert put_file(url, f"/_stcore/upload_file/{session_id_of(anonymous)}/{uuid.uuid4()}", 1000) == 403
        assert not committee.open("").exceptions
        assert upload_urls(committee) == []
        assert not staff.open("").exceptions  # the overview: nothing to upload there
        assert upload_urls(staff) == []
        assert not staff.open("records").exceptions
        granted = upload_urls(staff)
        assert len(granted) == 1
        path = urlsplit(granted[0]).path if "://" in granted[0] else granted[0]
        assert put_announced(url, path, 16 * 1024 * 1024) == 413  # the limit is 15 MB, an attachment's
        assert put_file(url, path, 1000) == 204
    finally:
        anonymous.close()
        committee.close()
        staff.close()


def test_staff_still_import_a_file_and_download_a_sample_in_the_browser(served: tuple[str, str], browser: Any) -> None:
    """The guards let the real thing through: in Chromium, staff on Records get an upload URL for the bulk
    import's file (its preview appears) and download a sample file (its /media link, with their cookie)."""
    url, _ = served
    context, page = signed_in(browser, url, "staff")
    try:
        page.goto(f"{url}/records")
        settle(page)
        page.get_by_role("tab", name=ZH["records.tab.import"]).click()
        with page.expect_download(timeout=60_000) as sample:
            page.get_by_role("button", name=ZH["imports.sample_csv"]).click()
        assert Path(sample.value.path()).read_bytes() == (SAMPLES / "enterprise.csv").read_bytes()
        page.locator(IMPORT_FILE_INPUT).set_input_files(
            str(SAMPLES / "enterprise.csv"))
        settle(page)
        ready, refused = ZH["imports.ready"].split("{")[0], ZH["imports.refused"].split("{")[0]
        page.get_by_text(ready).or_(page.get_by_text(refused)).first.wait_for(timeout=60_000)
    finally:
        context.close()


# --- item 4: a download's /media file ---------------------------------------------------------------


def test_a_downloads_file_is_served_only_to_the_signed_in_user_who_made_it(served: tuple[str, str]) -> None:
    url, database_url = served
    finance = token_of(database_url, "finance")
    client = PageClient(url, finance, "zh")
    try:
        assert not client.open("scorecards").exceptions
        media = deferred_download(client, "CSV")
        assert media.startswith("/media/")
        assert http("GET", f"{url}{media}")[0] == 403  # no cookie
        assert http("GET", f"{url}{media}", cookie(token_of(database_url, "committee")))[0] == 403
        status, _, body = http("GET", f"{url}{media}", cookie(finance))
        assert status == 200 and body
        engine = make_engine(database_url)
        with Session(engine) as session:
            sign_out(session=session, token=finance)
            session.commit()
        engine.dispose()
        assert http("GET", f"{url}{media}", cookie(finance))[0] == 403  # signed out: the link is dead
    finally:
        client.close()


def _photo_on_a_hazard(database_url: str) -> int:
    """Attach a photo to the hazard the Records page's hazard tab shows first for an enterprise: that enterprise."""
    from io import BytesIO

    from PIL import Image

    from dashboard.services.attachments import attach
    from dashboard.services.permissions import SYSTEM
    from dashboard.services.record_lookup import records_of
    from models import Hazard

    picture = BytesIO()
    Image.new("RGB", (64, 48), "orange").save(picture, "JPEG")
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            enterprise = int(session.execute(select(Hazard.enterprise_id).limit(1)).scalar_one())
            first = int(records_of(session, "hazard", enterprise)["id"].iloc[0])
            attach(session=session, actor=SYSTEM, table="hazard", record_id=first, stage="found",
                   files=[("found.jpg", picture.getvalue())])
            session.commit()
    finally:
        engine.dispose()
    return enterprise


def shown_images(client: PageClient) -> list[str]:
    """The ``/media/…`` paths of the images (``st.image``) on ``client``'s last page."""
    found = []
    for forward in client.messages:
        if forward.WhichOneof("type") == "delta" and forward.delta.WhichOneof("type") == "new_element":
            element = forward.delta.new_element
            if element.WhichOneof("type") == "imgs":
                found.extend(image.url for image in element.imgs.imgs if image.url.startswith("/media/"))
    return found


def test_a_pages_photo_is_served_only_to_a_signed_in_user_whose_page_shows_it(served: tuple[str, str]) -> None:
    url, database_url = served
    enterprise = _photo_on_a_hazard(database_url)
    staff = token_of(database_url, "staff")
    client = PageClient(url, staff, "zh")
    try:
        assert not client.open(f"records?enterprise={enterprise}").exceptions
        images = shown_images(client)
        assert images, "the Records page shows no photo"
        assert http("GET", f"{url}{images[0]}")[0] == 403  # no cookie: the URL alone gives nothing
        assert http("GET", f"{url}{images[0]}", cookie(token_of(database_url, "finance")))[0] == 403
        status, headers, body = http("GET", f"{url}{images[0]}", cookie(staff))
        assert status == 200 and body.startswith(b"\xff\xd8") and headers["Content-Type"] == "image/jpeg"
    finally:
        client.close()


def test_a_backups_link_works_once_for_its_session(served: tuple[str, str]) -> None:
    url, database_url = served
    if not database_url.startswith("sqlite"):
        pytest.skip("the Settings page offers the backup download on SQLite only")
    admin = token_of(database_url, "admin")
    client = PageClient(url, admin, "zh")
    try:
        assert not client.open("settings").exceptions
        media = deferred_download(client, "备份")
        assert http("GET", f"{url}{media}")[0] == 403
        # the page's own check that the link answers (a fetch) gets nothing and leaves the one use
        probe = {**cookie(admin), "Sec-Fetch-Mode": "cors"}
        assert http("GET", f"{url}{media}", probe)[:3:2] == (204, b"")
        status, _, body = http("GET", f"{url}{media}", cookie(admin))
        assert status == 200 and body.startswith(b"SQLite format 3\x00")
        assert http("GET", f"{url}{media}", cookie(admin))[0] == 404  # used up
    finally:
        client.close()


def test_an_administrator_downloads_the_backup_in_the_browser(served: tuple[str, str], browser: Any) -> None:
    """In Chromium the backup downloads whole: one click, one use of its link."""
    url, database_url = served
    if not database_url.startswith("sqlite"):
        pytest.skip("the Settings page offers the backup download on SQLite only")
    context, page = signed_in(browser, url, "admin")
    try:
        page.goto(f"{url}/settings")
        settle(page)
        page.get_by_role("tab", name=ZH["settings.tab.backup"]).click()
        with page.expect_download(timeout=60_000) as backup:
            page.get_by_role("button", name=ZH["settings.backup.button"]).click()
        assert Path(backup.value.path()).read_bytes().startswith(b"SQLite format 3\x00")
    finally:
        context.close()


# --- item 5: only the dashboard's own origin ---------------------------------------------------------


def test_a_page_on_another_port_cannot_open_the_websocket(served: tuple[str, str]) -> None:
    url, database_url = served
    finance = token_of(database_url, "finance")
    port = urlsplit(url).port
    for origin in ("http://127.0.0.1:9999", f"http://localhost:{port}", f"https://127.0.0.1:{port}"):
        with pytest.raises(InvalidStatus) as refused:
            PageClient(url, finance, "zh", origin=origin).close()
        assert refused.value.response.status_code == 403
    own = PageClient(url, finance, "zh")  # the dashboard's own page
    try:
        run = own.open("loans")
        assert not run.exceptions and run.bytes > 5_000
    finally:
        own.close()


def test_the_cookie_routes_accept_only_the_dashboards_own_origin(served: tuple[str, str]) -> None:
    url, database_url = served
    port = urlsplit(url).port
    finance = token_of(database_url, "finance")
    body = f'{{"token": "{finance}"}}'.encode()
    json = {"Content-Type": "application/json", "X-Park-Safety": "1"}
    for origin in ("http://127.0.0.1:9999", f"https://127.0.0.1:{port}", None):
        headers = {**json, **({"Origin": origin} if origin else {})}
        assert http("POST", f"{url}/auth/session", headers, body)[0] == 403
        assert http("POST", f"{url}/auth/sign-out", {**headers, **cookie(finance)})[0] == 403
    status, answered, _ = http("POST", f"{url}/auth/session", {**json, "Origin": url}, body)
    assert status == 200 and "park_safety_session=" in answered["Set-Cookie"]


# --- item 11: metrics ---------------------------------------------------------------------------------


def test_metrics_only_for_a_signed_in_administrator(served: tuple[str, str]) -> None:
    url, database_url = served
    assert http("GET", f"{url}/_stcore/metrics")[0] == 403
    assert http("GET", f"{url}/_stcore/metrics", cookie(token_of(database_url, "committee")))[0] == 403
    status, _, body = http("GET", f"{url}/_stcore/metrics", cookie(token_of(database_url, "admin")))
    assert status == 200 and body
