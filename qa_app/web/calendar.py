"""The council's working-day calendar for this app: its own bank-holiday list when
QA_BANK_HOLIDAYS_FILE names one (by default instance/bank_holidays.yaml, if present), England
and Wales's otherwise (qa_app.rules.uk_time.BankHolidays). Read once per process."""

from flask import Flask

from qa_app.rules.uk_time import BankHolidays

KEY = "qa_bank_holidays"


def council_calendar(app: Flask) -> BankHolidays:
    calendar = app.extensions.get(KEY)
    if calendar is None:
        calendar = BankHolidays.from_file(app.config.get("QA_BANK_HOLIDAYS_FILE"))
        app.extensions[KEY] = calendar
    return calendar
