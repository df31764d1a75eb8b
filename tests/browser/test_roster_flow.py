"""The roster import as a coordinator does it: a file with errors, the fixed file, the people.

Every page on the way is scanned with axe-core, and the preview's problems are read the way a
person reads them: row, column and a Swedish message in the problems table.
"""

from playwright.sync_api import expect

from .browsing import code_from_secret, scan, sign_in

HEADER = "Anställningsnummer;Förnamn;Efternamn;E-post;Befattning;Enhet"
WITH_ERRORS = [
    "B100;Birgitta;Lundqvist;birgitta.lundqvist@ale.example;Undersköterska;Vikadamm boende",
    "B101;Omar;Haddad;omar@;Vårdbiträde;Vikadamm boende",
    "B102;;Nyström;;Undersköterska;Vikadamm boende",
]
FIXED = [
    "B100;Birgitta;Lundqvist;birgitta.lundqvist@ale.example;Undersköterska;Vikadamm boende",
    "B101;Omar;Haddad;omar.haddad@ale.example;Vårdbiträde;Vikadamm boende",
    "B102;Siv;Nyström;;Undersköterska;Vikadamm boende",
]


def roster_file(name: str, rows: list[str]) -> dict:
    """Semicolon CSV in UTF-8 with a BOM, as Swedish Excel saves it."""
    text = "\r\n".join([HEADER, *rows]) + "\r\n"
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8-sig")}


def sign_in_with_two_step_set_up(page, server, email):
    sign_in(page, server, email)
    code = code_from_secret(page.locator(".secret").inner_text())
    page.get_by_label("Sexsiffrig kod från din autentiseringsapp").fill(code)
    page.get_by_role("button", name="Fortsätt").click()
    assert page.url == f"{server}/"
    scan(page)


def upload_and_check(page, file: dict) -> None:
    """From the start page: upload the file, keep the guessed columns, check the file."""
    page.get_by_role("navigation").get_by_role("link", name="Importera personallista").click()
    scan(page)  # the list of imports
    page.get_by_role("link", name="Importera en personallista").click()
    scan(page)
    assert page.get_by_label("Kommun").locator("option:checked").inner_text() == "Ale"
    page.get_by_label("Fil med personallistan").set_input_files(file)
    page.get_by_role("button", name="Ladda upp och fortsätt").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Välj kolumner"
    assert page.get_by_label("Anställningsnummer").input_value() == "employee_id"
    scan(page)
    page.get_by_role("button", name="Kontrollera filen").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Personallista {file['name']}"
    scan(page)


def problems(page) -> list[tuple[str, str, str]]:
    """(row, column, message) for every row of the problems table."""
    return [
        (cells[0], cells[1], cells[3])
        for cells in (
            row.locator("td").all_inner_texts() for row in page.locator("table tbody tr").all()
        )
    ]


def test_a_coordinator_fixes_a_roster_with_errors_and_finds_the_people(desktop, server,
                                                                       coordinator):
    page = desktop
    sign_in_with_two_step_set_up(page, server, "samordnare@ale.example")

    page.get_by_role("navigation").get_by_role("link", name="Importera personallista").click()
    page.get_by_role("link", name="Importera en personallista").click()
    page.get_by_label("Fil med personallistan").set_input_files(
        {"name": "personal.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"})
    page.get_by_role("button", name="Ladda upp och fortsätt").click()
    summary = page.get_by_role("alert")
    assert "Modig läser personallistor som CSV-filer" in summary.inner_text()
    assert summary.get_by_role("link").get_attribute("href") == "#id_file"
    described_by = page.get_by_label("Fil med personallistan").get_attribute("aria-describedby")
    assert "id_file_error" in described_by.split()
    scan(page)
    page.get_by_role("link", name="Start", exact=True).click()

    upload_and_check(page, roster_file("personal.csv", WITH_ERRORS))
    assert "Filen har 2 fel" in page.get_by_role("alert").inner_text()
    found = problems(page)
    assert [(row, column) for row, column, _message in found] == [
        ("3", "E-post"), ("4", "Förnamn")
    ], found
    assert "”omar@” är inte en e-postadress" in found[0][2]
    assert page.get_by_role("button", name="Spara personallistan").count() == 0

    page.get_by_role("link", name="Start", exact=True).click()
    upload_and_check(page, roster_file("personal-rattad.csv", FIXED))
    assert problems(page) == []
    assert "3 nya anställningar skapas" in page.locator("main").inner_text()
    page.get_by_role("button", name="Spara personallistan").click()
    assert page.get_by_role("status").first.inner_text() == "Personallistan är sparad."
    scan(page)

    page.get_by_role("link", name="Start", exact=True).click()
    page.get_by_role("navigation").get_by_role("link", name="Personer").click()
    scan(page)
    page.get_by_label("Sök").fill("Haddad")
    page.get_by_role("button", name="Visa").click()
    assert "q=Haddad" in page.url
    people = page.locator("table tbody tr")
    # The URL changes when the answer starts to arrive; wait for its rows, not the blank page.
    expect(people).to_have_count(1)
    assert "Haddad, Omar" in people.first.inner_text()
    scan(page)

    people.first.get_by_role("link").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Omar Haddad"
    assert "omar.haddad@ale.example" in page.locator("main").inner_text()
    scan(page)
