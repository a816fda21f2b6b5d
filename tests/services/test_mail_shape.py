"""The one shape of every platform mail: the recipient's language, the platform's name, no gaps."""

from flask_babel import gettext as _

from sharing.core.mail import link_for, mail_in_their_language


def test_a_mail_is_written_in_the_recipients_language_without_empty_lines(app, make):
    chinese, english = make.user(), make.user()
    english.locale = "en"

    def compose():
        return _("Booking confirmed"), [
            _("Booked by: %(name)s", name="王海"),
            link_for("main.home"),
        ]

    to_chinese = mail_in_their_language(chinese, compose)
    to_english = mail_in_their_language(english, compose)
    assert to_chinese.subject == "[蓝谷海洋仪器共享平台] 预约已确认"
    assert to_english.subject == "[Blue Valley Instrument Sharing] Booking confirmed"
    # Outside a request there is no site address to link to: the line is left out, not blank.
    assert to_english.body == "Booked by: 王海" and to_english.to == english.email
    with app.test_request_context(base_url="https://sharing.example"):
        linked = mail_in_their_language(english, compose)
    assert linked.body == "Booked by: 王海\nhttps://sharing.example/"
