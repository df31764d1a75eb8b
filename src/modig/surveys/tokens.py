"""Invitation secrets: the link token (≥128 bits) and the short code typed from a letter.

Both are derived from a random per-invitation salt and a key derived from SECRET_KEY with
HMAC-SHA256, so they can be printed again on a new letter but never recovered from a copy of
the database. Only their SHA-256 digests are stored and looked up. Neither is ever logged:
the respondent views keep them out of log lines and URLs after the first redirect.
"""

import base64
import hashlib
import hmac
import re
import secrets

from django.utils.crypto import salted_hmac

# Crockford's base 32 without I, L, O and U: no letter can be read as another or as a digit.
SHORT_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SHORT_CODE_LENGTH = 10  # 50 bits: guessing is hopeless once wrong codes are slowed down
TOKEN_BYTES = 24  # 192 bits
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_salt() -> str:
    return secrets.token_hex(16)


def _derive(salt: str, purpose: str) -> bytes:
    return salted_hmac(f"modig.surveys.{purpose}", salt, algorithm="sha256").digest()


def link_token(salt: str) -> str:
    raw = _derive(salt, "link")[:TOKEN_BYTES]
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def short_code(salt: str) -> str:
    number = int.from_bytes(_derive(salt, "code")[:8], "big")
    chars = []
    for _ in range(SHORT_CODE_LENGTH):
        number, index = divmod(number, len(SHORT_CODE_ALPHABET))
        chars.append(SHORT_CODE_ALPHABET[index])
    return "".join(chars)


def display_short_code(code: str) -> str:
    """ABCD-EFGH-JK: groups of four are easier to copy from paper."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalise_short_code(typed: str) -> str:
    """What a person typed, as a canonical code: case, spaces, dashes and look-alikes forgiven."""
    cleaned = re.sub(r"[\s\-–_.]", "", typed or "").upper().translate(_CONFUSABLE)
    return cleaned


def is_well_formed_short_code(code: str) -> bool:
    return len(code) == SHORT_CODE_LENGTH and all(c in SHORT_CODE_ALPHABET for c in code)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def digests_for(salt: str) -> tuple[str, str]:
    """(token digest, short code digest) to store on a new invitation."""
    return digest(link_token(salt)), digest(short_code(salt))


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)


__all__ = [
    "digest", "digests_for", "display_short_code", "is_well_formed_short_code", "link_token",
    "new_salt", "normalise_short_code", "short_code",
]
