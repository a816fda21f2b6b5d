"""What the API fuzzer found, pinned down: numbers and dates beyond what the database holds."""

HUGE = 2**40


def test_ids_beyond_the_database_are_not_found(client, make, token_for):
    headers = token_for(make.user())
    for path in (f"/api/v1/bookings/{HUGE}", f"/api/v1/instruments/{HUGE}", f"/instruments/{HUGE}"):
        response = client.get(path, headers=headers)
        assert response.status_code == 404, path


def test_ids_beyond_the_database_in_bodies_are_bad_requests(client, make, token_for):
    headers = token_for(make.user())
    body = {"instrument_id": HUGE, "start": "2030-01-01T09:00:00", "end": "2030-01-01T10:00:00"}
    response = client.post("/api/v1/bookings", json=body, headers=headers)
    assert response.status_code == 400 and "instrument_id" in response.json["error"]["fields"]
    decisions = {"ids": [1, HUGE], "decision": "approve"}
    response = client.post("/api/v1/bookings/decisions", json=decisions, headers=headers)
    assert response.status_code == 400


def test_far_off_dates_and_pages_are_bad_requests(client, make, token_for):
    headers = token_for(make.user())
    instrument = make.instrument()
    for start in ("0001-01-01T00:00:00", "9999-12-31T23:59:59-12:00"):
        body = {"instrument_id": instrument.id, "start": start, "end": "2030-01-01T10:00:00"}
        response = client.post("/api/v1/bookings", json=body, headers=headers)
        assert response.status_code == 400 and "start" in response.json["error"]["fields"]
    window = "from=0001-01-01T00:00:00Z&to=2030-01-01T00:00:00Z"
    assert (
        client.get(f"/api/v1/instruments/{instrument.id}/availability?{window}").status_code == 400
    )
    assert client.get("/api/v1/instruments?page=10000000").status_code == 400
