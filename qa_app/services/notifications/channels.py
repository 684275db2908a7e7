"""The ways an email leaves: SMTP (any council relay; STARTTLS, implicit TLS, or plain for a
relay on the same host; username and password from the environment) or GOV.UK Notify through
its official client (notifications-python-client); chosen by QA_MAIL_CHANNEL (none, smtp,
notify). A channel sends a batch over one connection and says, per message, whether it went,
or why not and whether trying again could help. Errors are kept short and never carry a
credential. Pure: no Flask, no database."""

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formatdate

import requests
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

NOTE_LIMIT = 300


@dataclass(frozen=True)
class Outgoing:
    notification_id: int
    to: str
    subject: str
    body: str
    url: str  # the link into the app (Notify's template shows it as ((link)))


class DeliveryError(Exception):
    """One message (or, raised from opening the channel, the whole batch) was not accepted.
    `permanent`: trying again will not help (the address was refused)."""

    def __init__(self, note: str, *, permanent: bool = False):
        super().__init__(note)
        self.note = note[:NOTE_LIMIT]
        self.permanent = permanent


class NoChannel:
    name = "none"


class SmtpChannel:
    name = "smtp"

    def __init__(
        self,
        *,
        host: str,
        port: int,
        tls: str,
        username: str,
        password: str,
        sender: str,
        timeout: int = 20,
    ):
        if tls not in ("starttls", "tls", "none"):
            raise ValueError("QA_SMTP_TLS must be starttls, tls or none")
        if not host or not sender:
            raise ValueError("QA_SMTP_HOST and QA_MAIL_FROM must be set for QA_MAIL_CHANNEL=smtp")
        self.host, self.port, self.tls, self.timeout = host, port, tls, timeout
        self._username, self._password = username, password
        self.sender = sender
        self.domain = sender.rpartition("@")[2] or "practice-qa.invalid"
        # made once: loading the system's CAs takes ~25 ms, too long to repeat per batch
        self._tls_context = ssl.create_default_context()

    def _hide(self, text: str) -> str:
        for secret in (self._password, self._username):
            if secret:
                text = text.replace(secret, "***")
        return text

    def _connect(self) -> smtplib.SMTP:
        context = self._tls_context
        smtp: smtplib.SMTP
        if self.tls == "tls":
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            smtp.ehlo()
            if self.tls == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if self._username:
                smtp.login(self._username, self._password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    @contextmanager
    def session(self) -> Iterator:
        """One connection for a batch; yields send(outgoing). Failing to connect or to sign
        in raises DeliveryError (temporary) for the whole batch."""
        try:
            smtp = self._connect()
        except smtplib.SMTPAuthenticationError as error:
            raise DeliveryError(
                f"The mail relay refused the username and password ({error.smtp_code})"
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError(
                self._hide(f"Could not reach the mail relay {self.host}:{self.port} ({error})")
            ) from None
        try:
            yield lambda outgoing: self._send(smtp, outgoing)
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()

    def message(self, outgoing: Outgoing) -> MIMEText:
        """Plain text, UTF-8. (The email package's classic API: a quarter of the time of
        EmailMessage's, which matters at thousands of messages a round. The subject has no
        line breaks: qa_app.services.notifications.messages makes it one line.)"""
        msg = MIMEText(outgoing.body, "plain", "utf-8")
        msg["From"] = self.sender
        msg["To"] = outgoing.to
        subject = outgoing.subject
        # email takes a Header here; typeshed's MIMEText types its headers as str
        msg["Subject"] = subject if subject.isascii() else Header(subject, "utf-8")  # type: ignore[assignment]
        msg["Date"] = formatdate(localtime=False)
        # fixed per notification: a copy sent twice (see data.notification_outbox) is the same
        msg["Message-ID"] = f"<notification-{outgoing.notification_id}@{self.domain}>"
        msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies
        return msg

    def _send(self, smtp: smtplib.SMTP, outgoing: Outgoing) -> None:
        try:
            smtp.send_message(self.message(outgoing))
        except smtplib.SMTPRecipientsRefused as error:
            code, _ = next(iter(error.recipients.values()), (0, b""))
            raise DeliveryError(
                f"The mail relay refused the address ({code})", permanent=500 <= code < 600
            ) from None
        except smtplib.SMTPResponseException as error:
            raise DeliveryError(
                self._hide(f"The mail relay refused the message ({error.smtp_code})"),
                permanent=500 <= error.smtp_code < 600
                and not isinstance(error, smtplib.SMTPSenderRefused),
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError(self._hide(f"The mail relay connection failed ({error})")) from None


class NotifyChannel:
    """GOV.UK Notify. Its email template must have the subject ((subject)) and the body
    ((body)); ((link)) is sent too. docs/deployment.md says how to set it up."""

    name = "notify"

    def __init__(self, *, api_key: str, template_id: str, base_url: str, timeout: int = 20):
        if not api_key or not template_id:
            raise ValueError(
                "QA_NOTIFY_API_KEY and QA_NOTIFY_TEMPLATE_ID must be set for QA_MAIL_CHANNEL=notify"
            )
        self._client = NotificationsAPIClient(api_key, base_url=base_url, timeout=timeout)
        self.template_id = template_id

    @contextmanager
    def session(self) -> Iterator:
        yield self._send

    def _send(self, outgoing: Outgoing) -> None:
        try:
            self._client.send_email_notification(
                email_address=outgoing.to,
                template_id=self.template_id,
                personalisation={
                    "subject": outgoing.subject,
                    "body": outgoing.body,
                    "link": outgoing.url,
                },
                reference=f"notification-{outgoing.notification_id}",
            )
        except APIError as error:
            status = error.status_code
            message = error.message
            if isinstance(message, list):
                message = "; ".join(str(m.get("message", m)) for m in message[:3])
            # 400 and 403: the request or the key is wrong, or (a trial service) the address
            # is not allowed: trying the same again will not help. 429 and 5xx: it may.
            raise DeliveryError(
                f"GOV.UK Notify answered {status}: {message}", permanent=status in (400, 403)
            ) from None
        except requests.RequestException as error:
            raise DeliveryError(f"Could not reach GOV.UK Notify ({type(error).__name__})") from None


CHANNELS = ("none", "smtp", "notify")


def from_config(config) -> NoChannel | SmtpChannel | NotifyChannel:
    """The channel QA_MAIL_CHANNEL names, set up from the other QA_ settings."""
    name = config.get("QA_MAIL_CHANNEL", "none")
    if name == "smtp":
        return SmtpChannel(
            host=config["QA_SMTP_HOST"],
            port=int(config["QA_SMTP_PORT"]),
            tls=config["QA_SMTP_TLS"],
            username=config["QA_SMTP_USERNAME"],
            password=config["QA_SMTP_PASSWORD"],
            sender=config["QA_MAIL_FROM"],
            timeout=int(config["QA_SMTP_TIMEOUT"]),
        )
    if name == "notify":
        return NotifyChannel(
            api_key=config["QA_NOTIFY_API_KEY"],
            template_id=config["QA_NOTIFY_TEMPLATE_ID"],
            base_url=config["QA_NOTIFY_BASE_URL"],
            timeout=int(config["QA_SMTP_TIMEOUT"]),
        )
    if name != "none":
        raise ValueError(f"QA_MAIL_CHANNEL must be one of {', '.join(CHANNELS)}, not {name!r}")
    return NoChannel()
