import pytest
from django.core.exceptions import ValidationError

from modig.organisation.models import Employment, Person
from modig.roster import services
from modig.roster.models import RosterImport
from modig.roster.tests.helpers import PNR_1, csv_bytes, rows_ok


def import_file(municipality, content, *, name="lista.csv", units=(), full=None):
    roster_import = services.start_import(municipality, file_name=name, content=content)
    roster_import = services.save_mapping(roster_import, mapping=roster_import.mapping)
    if units:
        roster_import = services.confirm_units(roster_import, labels=list(units))
    return roster_import


def test_a_clean_file_is_previewed_then_saved(region):
    roster_import = import_file(region.ale, csv_bytes(rows_ok()))
    assert roster_import.status == RosterImport.Status.CHECKED, roster_import.problems
    assert roster_import.errors_count == 0
    assert (roster_import.created_count, roster_import.updated_count) == (1, 1)
    assert not Person.objects.filter(first_name="Åsa").exists()
    roster_import = services.request_commit(roster_import)
    assert roster_import.status == RosterImport.Status.COMMITTED, roster_import.failure
    asa = Person.objects.get(identity_number="198112189876")
    assert (asa.first_name, asa.mobile, asa.birth_year) == ("Åsa", "+46707654321", 1981)
    employment = Employment.objects.get(municipality=region.ale, employee_id="A9")
    assert employment.occupation.ssyk_code == "5330"
    assert list(employment.units.all()) == [region.vikadamm]
    assert Person.objects.get(pk=region.anna.pk).mobile == "+46701234567"


def test_the_same_file_twice_is_refused_with_the_date(region):
    content = csv_bytes(rows_ok())
    services.request_commit(import_file(region.ale, content))
    with pytest.raises(ValidationError) as error:
        services.start_import(region.ale, file_name="igen.csv", content=content)
    assert error.value.code == "already_imported"
    assert "redan" in error.value.messages[0] or "already" in error.value.messages[0]
    assert PNR_1
