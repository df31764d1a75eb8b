"""The number of queries of a preview and a commit does not grow with the number of rows."""

import pytest

from modig.organisation.models import Employment
from modig.roster import services
from modig.roster.tests.helpers import csv_bytes, identity_number

HEADER = ["Anst.nr", "Förnamn", "Efternamn", "Personnummer", "Befattning", "Enhet", "Målgrupp"]


def rows(count: int) -> list[list[str]]:
    result = []
    for n in range(count):
        number = identity_number(n) if n % 2 else ""
        result.append([f"Q{n}", "Kim", f"Nr{n}", number, "Undersköterska", "Vikadamm boende",
                       "Baspersonal"])
    # One row updates an employment already stored (Anna, A1).
    result.append(["A1", "Anna", "Andersson", "", "Vårdbiträde", "Vikadamm boende", ""])
    return result


@pytest.mark.parametrize("count", [3, 60])
def test_preview_and_commit_queries_do_not_grow_with_rows(region, count,
                                                          django_assert_max_num_queries):
    content = csv_bytes(rows(count), header=HEADER)
    roster_import = services.start_import(region.ale, file_name=f"{count}.csv", content=content)
    with django_assert_max_num_queries(25):
        roster_import = services.save_mapping(roster_import, mapping=roster_import.mapping)
    assert roster_import.errors_count == 0, roster_import.problems
    with django_assert_max_num_queries(40):
        roster_import = services.request_commit(roster_import)
    assert roster_import.created_count == count
    assert Employment.objects.filter(municipality=region.ale).count() == 3 + count
