"""The app's notification wording (qa_app.services.notifications.messages.Messages): the
shipped email_templates/, with the council's own files from QA_EMAIL_TEMPLATES_DIR (by default
instance/email_templates) in front. Made once per process."""

from pathlib import Path

from flask import Flask

from qa_app.services.notifications.messages import Messages

KEY = "qa_messages"


def council_folder(app: Flask) -> Path:
    return Path(
        app.config.get("QA_EMAIL_TEMPLATES_DIR") or Path(app.instance_path) / "email_templates"
    )


def messages_for(app: Flask) -> Messages:
    messages = app.extensions.get(KEY)
    if messages is None:
        messages = Messages(council_folder(app))
        app.extensions[KEY] = messages
    return messages
