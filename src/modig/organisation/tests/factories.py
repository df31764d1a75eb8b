import factory

from modig.organisation.models import Employment, Municipality, Occupation, Person, Unit
from modig.organisation.services import create_unit


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    gender = Person.Gender.FEMALE
    birth_year = 1980


def make_unit(municipality: Municipality, name: str, parent: Unit | None = None, **kwargs) -> Unit:
    """Units go through the service so their tree path is right."""
    return create_unit(municipality, name=name, parent=parent, **kwargs)


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    municipality = factory.LazyFunction(lambda: Municipality.objects.get(code="1440"))
    employee_id = factory.Sequence(lambda n: f"E{n:05d}")
    occupation = factory.LazyFunction(lambda: Occupation.objects.get(ssyk_code="5321"))
    job_title = "Undersköterska"

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        if create and extracted:
            self.units.set(extracted)
