"""`remind --send`: each digest as a mail through the office's SMTP server, one message per recipient,
so a refused address costs only its own digest."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid

from ..errors import UsageProblem
from ..messages import text
from ..model.models import MailSettings, day_of
from .digest import Digest, Reminders
from .render import body, subject
from .sent import SentRecord

TIMEOUT = 30  # seconds: a server that stops answering must not hang the morning job


def sender_address(settings: MailSettings, office: str) -> Address:
    """`from:` as written (`名称 <addr>` or a bare address, which gets the office's name)."""
    name, address = getaddresses([settings.sender])[0]
    if "@" not in address:
        raise UsageProblem("remind.bad-from", value=settings.sender)
    return Address(display_name=name or office, addr_spec=address)


def compose(reminders: Reminders, digest: Digest, sender: Address, now: datetime, lang: str) -> EmailMessage:
    """A text/plain UTF-8 message; the policy encodes Chinese subjects and names as RFC 2047 words."""
    message = EmailMessage()
    message["Subject"] = subject(reminders, digest, lang)
    message["From"] = sender
    message["To"] = digest.to
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=sender.domain or None)
    message.set_content(body(reminders, digest, lang) + "\n\n" + text("remind.footer", lang) + "\n", charset="utf-8")
    return message


def _open(settings: MailSettings, password: str | None) -> smtplib.SMTP:
    """An SMTP session as `tls:` asks (none, STARTTLS or implicit TLS), logged in when a username is set."""
    host, port = settings.host, settings.server_port
    if settings.tls == "ssl":
        return _login(smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=ssl.create_default_context()),
                      settings, password)
    smtp = smtplib.SMTP(host, port, timeout=TIMEOUT)
    if settings.tls == "starttls":
        smtp.starttls(context=ssl.create_default_context())
    return _login(smtp, settings, password)


def _login(smtp: smtplib.SMTP, settings: MailSettings, password: str | None) -> smtplib.SMTP:
    if settings.username:
        smtp.login(settings.username, password or "")
    return smtp


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


# Answers about one message; the session itself is still good for the next one.
MESSAGE_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def send_all(reminders: Reminders, settings: MailSettings, password: str | None, record: SentRecord,
             now: datetime, lang: str, tell: Callable[..., None]) -> dict[str, str]:
    """Send every digest not yet sent on the as-of day; {recipient: sent | skipped | failed}.

    Each success is recorded at once, so a run that dies halfway resends only what did not go.
    A session that breaks is opened again for the next digest; a server that cannot be reached
    fails every digest still unsent."""
    sender = sender_address(settings, reminders.office)
    day = day_of(reminders.as_of)
    results: dict[str, str] = {}
    smtp: smtplib.SMTP | None = None
    try:
        for digest in reminders.digests:
            if record.has(day, digest.to):
                results[digest.to] = "skipped"
                tell("remind.already-sent", to=digest.to, day=day.isoformat())
                continue
            try:
                smtp = smtp or _open(settings, password)
            except (OSError, smtplib.SMTPException) as error:
                tell("remind.connect-failed", host=settings.host, port=settings.server_port, detail=_reason(error))
                results.update((d.to, "failed") for d in reminders.digests if d.to not in results)
                break
            try:
                smtp.send_message(compose(reminders, digest, sender, now, lang), to_addrs=[digest.to])
            except (OSError, smtplib.SMTPException) as error:
                results[digest.to] = "failed"
                tell("remind.refused", to=digest.to, detail=_reason(error))
                if not isinstance(error, MESSAGE_REFUSED):
                    smtp.close()
                    smtp = None
                continue
            record.add(day, digest.to, now)
            results[digest.to] = "sent"
            tell("remind.sent", to=digest.to)
    finally:
        if smtp is not None:
            _close(smtp)
    return results


def _reason(error: Exception) -> str:
    """What the server said (its code and text), not Python's repr of the exception."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, said = next(iter(error.recipients.values()))
        return f"{code} {said.decode('utf-8', 'replace') if isinstance(said, bytes) else said}"
    if isinstance(error, smtplib.SMTPResponseException):
        said = error.smtp_error
        return f"{error.smtp_code} {said.decode('utf-8', 'replace') if isinstance(said, bytes) else said}"
    return str(error) or type(error).__name__
