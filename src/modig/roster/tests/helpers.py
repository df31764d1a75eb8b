"""Staff list files for tests."""

import io

HEADER = ["Anst.nr", "Förnamn", "Efternamn", "E-post", "Mobil", "Personnummer", "Kön",
          "Befattning", "Enhet", "Startdatum"]
# Luhn-valid identity numbers.
PNR_1 = "19811218-9876"
PNR_2 = "19900101-0017"


def rows_ok() -> list[list[str]]:
    return [
        ["A1", "Anna", "Andersson", "anna@ale.example", "070-123 45 67", "", "Kvinna",
         "Undersköterska", "Vikadamm boende", "2020-01-01"],
        ["A9", "Åsa", "Öberg", "asa@ale.example", "+46 70 765 43 21", PNR_1, "K",
         "Vårdbiträde", "Vikadamm boende", "20210301"],
    ]


def csv_bytes(rows, *, header=HEADER, delimiter=";", encoding="utf-8-sig") -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def identity_number(n: int) -> str:
    """A valid (Luhn-checked) personnummer, different for every n below 365,000."""
    import datetime

    from modig.organisation.identity import luhn_check_digit

    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=n % 14000)
    serial = f"{(n // 14000) * 37 % 1000:03d}"
    short = born.strftime("%y%m%d") + serial
    return f"{born:%Y%m%d}-{serial}{luhn_check_digit(short)}"
