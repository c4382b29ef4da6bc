"""Demo account numbers: a configured prefix, random digits and a Luhn check digit.

Uses python-stdnum's Luhn (the check bank card and account numbers carry),
so a mistyped number read back to a branch is caught.

>>> number = new_account_number("6217")
>>> len(number), number.startswith("6217"), luhn.is_valid(number)
(16, True, True)
"""

from __future__ import annotations

import secrets

from stdnum import luhn

ACCOUNT_DIGITS = 16


def new_account_number(prefix: str) -> str:
    body = prefix + "".join(secrets.choice("0123456789") for _ in range(ACCOUNT_DIGITS - 1 - len(prefix)))
    return body + luhn.calc_check_digit(body)
