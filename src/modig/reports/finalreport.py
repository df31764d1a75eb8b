"""The final report: the programme's results against its targets (people trained, by staff
category and target group, and training hours), all from training.ledger.

Every count of people goes through lib/privacy: the headline total on its own (primary rule),
and each breakdown (staff category, target group) as a line whose total is the sum of its
members. A person can be in more than one group (the ledger puts them under every group of
their employments), so a breakdown's members may add up to more than the headline total; the
line is suppressed as if it added up, which hides at least as much as needed.
"""

from dataclasses import dataclass

from modig.lib import privacy
from modig.organisation.models import Programme, ProgrammeTarget, StaffCategory, TargetGroup
from modig.training import ledger


@dataclass
class Result:
    label: str
    target: int | None
    people: int | None  # None: hidden (fewer than the minimum group size, or to protect one)
    minutes: int | None

    @property
    def share(self) -> int | None:
        if self.target and self.people is not None:
            return round(100 * self.people / self.target)
        return None


@dataclass
class FinalReport:
    programme: Programme
    total: Result
    hours: int | None
    hours_target: int
    categories: list
    target_groups: list
    min_size: int

    @property
    def hours_share(self) -> int | None:
        if self.hours_target and self.hours is not None:
            return round(100 * self.hours / self.hours_target)
        return None


def _line(figures: dict, labels: dict, targets: dict, min_size: int) -> list[Result]:
    cells, _total = privacy.suppress_breakdown(
        {key: figures[key].people if key in figures else 0 for key in labels},
        min_size=min_size, total_fixed=True)
    results = []
    for key, label in labels.items():
        figure = figures.get(key)
        shown = cells[key].shown
        results.append(Result(label, targets.get(key),
                              (figure.people if figure else 0) if shown else None,
                              (figure.minutes if figure else 0) if shown else None))
    return results


def final_report(programme: Programme) -> FinalReport:
    min_size = privacy.effective_min_size(programme.min_group_size)
    total = ledger.totals(programme)
    total_shown = not privacy.is_small(total.people, min_size)
    categories = _line(
        {f.key: f for f in ledger.hours_by(programme, "staff_category")},
        {value: str(label) for value, label in StaffCategory.choices},
        {StaffCategory.BASE: programme.target_people_base,
         StaffCategory.MANAGEMENT: programme.target_people_management}, min_size)
    groups = {group.pk: group for group in TargetGroup.objects.all()}
    targets = {t.target_group_id: t.people
               for t in ProgrammeTarget.objects.filter(programme=programme)}
    target_groups = _line(
        {f.key: f for f in ledger.hours_by(programme, "target_group")},
        {pk: str(group) for pk, group in sorted(groups.items(), key=lambda g: g[1].code)},
        targets, min_size)
    hours = round(total.minutes / 60) if total_shown else None
    return FinalReport(
        programme,
        Result("", programme.target_people_total, total.people if total_shown else None,
               total.minutes if total_shown else None),
        hours, programme.target_training_hours, categories, target_groups, min_size)
