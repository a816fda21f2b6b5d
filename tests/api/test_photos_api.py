"""Instrument photos: checked by content, re-encoded without EXIF, thumbnails, managers only."""

import io

import pytest
from PIL import Image

from tests.fixtures.bookings import weekday_instrument
from tests.fixtures.world import png_bytes


@pytest.fixture
def setting(make, token_for):
    manager = make.user("manager")
    return {
        "instrument": weekday_instrument(make, manager),
        "as_manager": token_for(manager),
        "as_researcher": token_for(make.user("researcher")),
        "as_other_manager": token_for(make.user("manager")),
    }


def upload(client, setting, data: bytes, name="photo.png", who="as_manager"):
    return client.post(
        f"/api/v1/instruments/{setting['instrument'].id}/photos",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers=setting[who],
    )


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (2400, 1200), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0132] = "2026:11:30 08:00:00"  # DateTime
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_manager_adds_a_photo_that_the_catalog_shows(client, setting):
    added = upload(client, setting, jpeg_with_exif(), "IMG_0001.JPG")
    assert added.status_code == 201, added.json
    assert set(added.json) == {"id", "url", "thumbnail_url"}
    instrument = client.get(f"/api/v1/instruments/{setting['instrument'].id}").json
    assert instrument["photos"] == [added.json]
    listed = client.get("/api/v1/instruments?per_page=100").json["items"]
    assert any(item["photos"] == [added.json] for item in listed)

    full = client.get(added.json["url"])
    assert full.status_code == 200
    assert full.mimetype == "image/jpeg"
    stored = Image.open(io.BytesIO(full.data))
    assert max(stored.size) == 1600  # made smaller
    assert not stored.getexif()  # no camera, place or time leaves the lab
    thumbnail = Image.open(io.BytesIO(client.get(added.json["thumbnail_url"]).data))
    assert max(thumbnail.size) == 400
    page = client.get(f"/instruments/{setting['instrument'].id}").get_data(as_text=True)
    assert added.json["url"] in page


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"", "empty.png"),
        (b"%PDF-1.7 not a photo", "photo.jpg"),
        (png_bytes()[:60], "truncated.png"),
        ("GIF", "anim.gif"),
        ("BOMB", "bomb.png"),
    ],
    ids=["empty", "pdf", "truncated", "gif", "decompression-bomb"],
)
def test_what_is_not_a_photo_is_refused(client, setting, data, name):
    if data == "GIF":
        out = io.BytesIO()
        Image.new("RGB", (10, 10)).save(out, "GIF")
        data = out.getvalue()
    if data == "BOMB":
        out = io.BytesIO()
        Image.new("1", (10_000, 10_000)).save(out, "PNG")  # tiny file, 100 million pixels
        data = out.getvalue()
    refused = upload(client, setting, data, name)
    assert refused.status_code == 400, refused.json
    assert "file" in refused.json["error"]["fields"]


def test_a_photo_over_ten_megabytes_is_refused(client, setting):
    refused = upload(client, setting, png_bytes() + b"\0" * (10 * 1024 * 1024))
    assert refused.status_code == 400


def test_a_missing_file_field_is_a_bad_request(client, setting):
    refused = client.post(
        f"/api/v1/instruments/{setting['instrument'].id}/photos",
        data={"other": "x"},
        content_type="multipart/form-data",
        headers=setting["as_manager"],
    )
    assert refused.status_code == 400


def test_only_its_managers_add_and_remove(client, setting):
    assert upload(client, setting, png_bytes(), who="as_researcher").status_code == 403
    assert upload(client, setting, png_bytes(), who="as_other_manager").status_code == 403
    photo = upload(client, setting, png_bytes()).json
    path = f"/api/v1/instruments/{setting['instrument'].id}/photos/{photo['id']}"
    assert client.delete(path, headers=setting["as_researcher"]).status_code == 403
    assert client.delete(path, headers=setting["as_manager"]).status_code == 204
    assert client.get(photo["url"]).status_code == 404
    assert client.get(photo["thumbnail_url"]).status_code == 404
    assert client.delete(path, headers=setting["as_manager"]).status_code == 404


def test_photo_names_are_only_stored_names(client):
    for name in ("../../etc/passwd", "x.jpg", "0" * 32 + ".png", "%2e%2e%2fsecret"):
        assert client.get(f"/photos/{name}").status_code == 404
