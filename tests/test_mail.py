"""`remind --send` against a real SMTP server on localhost (aiosmtpd): who receives what, how the headers
decode, a refused recipient, the once-a-day record, the office's non-working days."""

from __future__ import annotations

import email
import email.policy
import json
import socket

import pytest
from aiosmtpd.controller import Controller
from conftest import git
from notify_office import AS_OF, CONFIG, notify_office

CLERKS = {"wang@example.gov.cn", "li@example.gov.cn", "zhao@example.gov.cn"}
EVERYONE = CLERKS | {"boss@example.gov.cn"}
HOLIDAY = "2024-10-01"  # National Day
MAKEUP_SATURDAY = "2024-10-12"  # 调休: a Saturday worked for the National Day holiday


class Inbox:
    """An SMTP handler that keeps what it receives and refuses the addresses it is told to."""

    def __init__(self):
        self.received: list[tuple[list[str], email.message.EmailMessage, bytes]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content
        self.received.append((list(envelope.rcpt_tos), email.message_from_bytes(raw, policy=email.policy.default), raw))
        return "250 Message accepted for delivery"

    def by_recipient(self) -> dict[str, email.message.EmailMessage]:
        return {to: message for tos, message, _ in self.received for to in tos}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def mail_config(port: int, extra: str = "") -> str:
    return CONFIG + f"mail:\n  host: 127.0.0.1\n  port: {port}\n  from: 政务公开办 <gk@example.gov.cn>\n  tls: none\n{extra}"


@pytest.fixture
def office(tmp_path, server):
    return notify_office(tmp_path / "office", mail_config(server[1]))


def send(cli, root, *args, as_of: str = AS_OF):
    return cli(root, "remind", "--send", "--as-of", as_of, *args)


def printed(cli, root) -> dict[str, dict]:
    result = cli(root, "remind", "--as-of", AS_OF, "--format", "json")
    return {digest["to"]: digest for digest in json.loads(result.stdout)["digests"]}


def listed_lines(message: email.message.EmailMessage) -> list[str]:
    return [line.removeprefix("  - ") for line in message.get_content().splitlines() if line.startswith("  - ")]


def test_each_clerk_receives_exactly_their_units_lines(cli, office, server):
    inbox, _ = server
    result = send(cli, office)
    assert result.exit_code == 0, result.stderr
    assert all(len(tos) == 1 for tos, _, _ in inbox.received)  # one message per recipient
    received = inbox.by_recipient()
    assert set(received) == EVERYONE
    for to, digest in printed(cli, office).items():
        lines = listed_lines(received[to])
        if digest["role"] == "clerk":
            assert len(lines) == len(digest["lines"])
            assert [line.split(" · ")[0] for line in lines] == [line["unit_name"] for line in digest["lines"]]
    assert {line.split(" · ")[0] for line in listed_lines(received["wang@example.gov.cn"])} == {"综合处"}
    assert {line.split(" · ")[0] for line in listed_lines(received["li@example.gov.cn"])} == {"某乡", "某村"}
    assert {line.split(" · ")[0] for line in listed_lines(received["zhao@example.gov.cn"])} == {"某村"}


def test_headers_are_encoded_for_mail_and_decode_to_the_chinese(cli, office, server):
    inbox, _ = server
    send(cli, office)
    expected = printed(cli, office)
    for tos, message, raw in inbox.received:
        headers = raw.split(b"\r\n\r\n", 1)[0]
        assert headers.isascii()  # RFC 2047 encoded words, not raw UTF-8
        assert b"=?utf-8?" in headers.lower()
        assert message["Subject"] == expected[tos[0]]["subject"]
        assert message["From"].addresses[0].display_name == "政务公开办"
        assert message["From"].addresses[0].addr_spec == "gk@example.gov.cn"
        assert message["To"] == tos[0]
        assert message.get_content_charset() == "utf-8"
    assert "逾期" in inbox.by_recipient()["wang@example.gov.cn"]["Subject"]


def test_english_with_lang_en(cli, office, server):
    inbox, _ = server
    assert send(cli, office, "--lang", "en").exit_code == 0
    assert "overdue" in inbox.by_recipient()["wang@example.gov.cn"]["Subject"]


def test_a_refused_recipient_leaves_the_others_delivered_and_exits_1(cli, office, server):
    inbox, _ = server
    inbox.refuse.add("li@example.gov.cn")
    result = send(cli, office)
    assert result.exit_code == 1
    assert set(inbox.by_recipient()) == EVERYONE - {"li@example.gov.cn"}
    assert "li@example.gov.cn" in result.stderr and "550" in result.stderr
    inbox.refuse.clear()  # the next run sends only what did not go
    again = send(cli, office)
    assert again.exit_code == 0, again.stderr
    assert [tos for tos, _, _ in inbox.received][-1] == ["li@example.gov.cn"]
    assert len(inbox.received) == 4


def test_a_second_run_the_same_day_sends_nothing(cli, office, server):
    inbox, _ = server
    assert send(cli, office).exit_code == 0
    second = send(cli, office)
    assert second.exit_code == 0
    assert len(inbox.received) == 4
    assert "已发送过" in second.stderr
    assert git(office, "status", "--porcelain") == ""  # the record is outside the work tree
    assert send(cli, office, as_of="2024-10-14").exit_code == 0  # the next working day sends again
    assert len(inbox.received) == 8


def test_a_non_working_day_sends_nothing_unless_forced(cli, office, server):
    inbox, _ = server
    result = send(cli, office, as_of=HOLIDAY)
    assert result.exit_code == 0
    assert inbox.received == []
    assert "不是工作日" in result.stderr
    assert send(cli, office, "--force", as_of=HOLIDAY).exit_code == 0
    assert inbox.received


def test_a_makeup_saturday_is_a_working_day(cli, office, server):
    inbox, _ = server
    assert send(cli, office, as_of=MAKEUP_SATURDAY).exit_code == 0
    assert inbox.received


def test_json_says_what_became_of_each_digest(cli, office, server):
    inbox, _ = server
    inbox.refuse.add("zhao@example.gov.cn")
    result = send(cli, office, "--format", "json")
    assert result.exit_code == 1
    results = {d["to"]: d["result"] for d in json.loads(result.stdout)["digests"]}
    assert results == {**{to: "sent" for to in EVERYONE}, "zhao@example.gov.cn": "failed"}


def test_an_unreachable_server_fails_every_digest(cli, tmp_path):
    root = notify_office(tmp_path / "office", mail_config(free_port()))
    result = send(cli, root)
    assert result.exit_code == 1
    assert "无法连接邮件服务器" in result.stderr
    assert "失败 4 封" in result.stderr


def test_without_mail_settings_send_is_a_usage_error(cli, tmp_path):
    root = notify_office(tmp_path / "office")
    result = send(cli, root)
    assert result.exit_code == 2
    assert "mail:" in result.stderr


def test_a_username_without_the_password_variable_is_refused(cli, tmp_path, server, monkeypatch):
    monkeypatch.delenv("GONGKAI_MAIL_PASSWORD", raising=False)
    root = notify_office(tmp_path / "office", mail_config(server[1], "  username: gk\n"))
    result = send(cli, root)
    assert result.exit_code == 2
    assert "GONGKAI_MAIL_PASSWORD" in result.stderr
    assert server[0].received == []


def test_check_validates_the_mail_settings(cli, tmp_path):
    root = notify_office(tmp_path / "office", CONFIG + "mail:\n  host: smtp.example.gov.cn\n  tls: sometimes\n")
    result = cli(root, "check")
    assert result.exit_code == 1
    assert "gongkai.yaml:" in result.stdout
    assert "tls" in result.stdout
