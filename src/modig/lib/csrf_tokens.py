"""A form's CSRF token, as Django's get_token makes it, for pages that are rendered most often.

Django masks the CSRF secret afresh for every form it renders (so a compressed page never
shows the same bytes twice, against BREACH): a random mask of 32 letters and digits, and the
secret shifted by it. It draws the mask one character at a time with secrets.choice, which
took about 65 microseconds per token here, more than the rest of the masking together, on
every respondent page (issue 4, "Speed and loss"). `masked_token` makes the same token from
one call to the system's random source: same alphabet, same length, same cipher, every mask
as likely as any other, so CsrfViewMiddleware checks it exactly as it checks its own.
"""

import secrets

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token

_ALPHABET = CSRF_ALLOWED_CHARS
_SIZE = len(_ALPHABET)
_POSITION = {char: index for index, char in enumerate(_ALPHABET)}
_LETTERS = frozenset(_ALPHABET)
# A random byte is used only below the largest multiple of the alphabet's size, so each
# letter of the mask is equally likely (no modulo bias).
_USABLE_BELOW = 256 - 256 % _SIZE


def _random_positions(count: int) -> list[int]:
    positions: list[int] = []
    while len(positions) < count:
        positions.extend(byte % _SIZE for byte in secrets.token_bytes(count + count // 4)
                         if byte < _USABLE_BELOW)
    return positions[:count]


def mask(secret: str) -> str:
    """The token for `secret` (CSRF_SECRET_LENGTH characters of the CSRF alphabet) under a
    fresh random mask: the mask, then each character of the secret shifted by it."""
    shifts = _random_positions(CSRF_SECRET_LENGTH)
    return "".join(_ALPHABET[shift] for shift in shifts) + "".join(
        _ALPHABET[(_POSITION[char] + shift) % _SIZE] for char, shift in zip(secret, shifts,
                                                                             strict=True))


def masked_token(request) -> str:
    """What django.middleware.csrf.get_token(request) returns, with the same effect on the
    response (the CSRF cookie is sent again, to renew it). Anything else is left to Django's
    get_token: a request without a secret yet (it makes one), or one whose secret is not 32
    characters of the alphabet (CsrfViewMiddleware never leaves such a secret)."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret or len(secret) != CSRF_SECRET_LENGTH or not _LETTERS.issuperset(secret):
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return mask(secret)
