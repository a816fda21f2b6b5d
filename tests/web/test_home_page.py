"""The home page: the newest instruments with their pictures, and the organisations and the
alliance as counts with their links, not one badge per member."""

from PIL import Image

from sharing.extensions import db
from sharing.instruments.photos import store_photo


def test_home_shows_counts_and_pictures_not_badges(client, make):
    members = [make.org(slug=f"member-{n}") for n in range(5)]
    for organisation in members[:3]:
        organisation.alliance_member = True
    pictured = make.instrument(org=members[0])
    make.instrument(org=members[1])
    store_photo(Image.new("RGB", (64, 48), (20, 90, 160)), pictured, None)
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    members_line = page.split('class="home-members"')[1].split("</p>")[0]
    assert 'href="/organisations">' in members_line
    assert 'href="/alliance">' in members_line and "3" in members_line  # three members
    assert page.count('class="badge text-bg-light border"') == 0  # no badge per member
    assert page.count('class="card-img-top instrument-card-photo"') == 1  # the one with a photo


def test_the_calendar_comes_right_after_the_headline_facts(client, make):
    instrument = make.instrument()
    db.session.commit()
    page = client.get(f"/instruments/{instrument.id}").get_data(as_text=True)
    book, calendar = page.index("bi-calendar-plus"), page.index('id="when-free"')
    assert book < calendar < page.index('id="calendar"')
    # Before the record, the rules and the faults, not after them.
    for later in ('id="incidents"', "预约规则"):
        assert calendar < page.index(later)
