"""The evaluator's extract: the final report's figures as de-identified tables for an external
evaluator, one ZIP of semicolon CSV files (UTF-8 with BOM, what Swedish Excel opens) and a
LASMIG.txt that defines every column (docs/evaluator-extract.md has the same in prose).

No table has a name, an identity number or a person id: every row is a group (a municipality,
a staff category, a month …), and every count of people comes through lib/privacy as the
dashboards and the final report show it (outcomes.figures and final_sections): a group below
the programme's minimum group size, or hidden so that such a group cannot be worked out from
its siblings and the total, has empty figures and the reason in the column "Dold".
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from modig.lib import privacy
from modig.organisation.models import Programme
from modig.outcomes import dashboard, figures
from modig.outcomes.figures import Count, Proportion
from modig.plans import queries as plan_queries
from modig.reports.files import csv_bytes
from modig.reports.final_sections import ambassador_rows, reported_rows

DOCS = "docs/evaluator-extract.md and docs/outcome-definitions.md"

HIDDEN = "Dold"
COUNT_COLUMNS = [("Personer", "utbildade personer i gruppen, var och en en gång"),
                 ("Timmar", "utbildningstimmar i gruppen, en decimal"),
                 (HIDDEN, "tom när gruppen visas; 'för få' när gruppen (eller hela tabellen) har "
                          "färre personer än minsta gruppstorlek; 'skydd' när den döljs för "
                          "att en dold grupp inte ska kunna räknas fram")]
SHARE_COLUMNS = [("Andel procent", "täljaren av nämnaren i procent, en decimal"),
                 ("KI nedre procent", "Wilsons 95-procentiga konfidensintervall, nedre gräns"),
                 ("KI övre procent", "Wilsons 95-procentiga konfidensintervall, övre gräns"),
                 (HIDDEN, "som ovan: 'för få' eller 'skydd', tom när andelen visas")]


@dataclass(frozen=True)
class FileSpec:
    name: str
    about: str
    columns: list[tuple[str, str]]


def _breakdown(name: str, group: str, about: str, *, code: bool = False) -> FileSpec:
    columns = [("Kommunkod", "SCB:s kommunkod")] if code else []
    return FileSpec(name, about, [*columns, (group, "gruppen; sista raden 'Hela programmet' "
                                             "är alla utbildade, var och en en gång"),
                                  *COUNT_COLUMNS])


FILES = [
    _breakdown("utbildade_per_kommun.csv", "Kommun",
               "Utbildade personer och utbildningstimmar per kommun. En person som är anställd "
               "i två kommuner finns i båda raderna.", code=True),
    _breakdown("utbildade_per_personalkategori.csv", "Personalkategori",
               "Per personalkategori (baspersonal, chefer) i någon anställning."),
    _breakdown("utbildade_per_malgrupp.csv", "Målgrupp", "Per målgrupp i någon anställning."),
    _breakdown("utbildade_per_kon.csv", "Kön", "Per kön."),
    _breakdown("utbildade_per_aldersgrupp.csv", "Åldersgrupp",
               "Per ålder vid programmets start (startår minus födelseår)."),
    _breakdown("utbildade_per_kursformat.csv", "Kursformat",
               "Per kursens format; handledning utan kurs i en egen rad. En person som gått "
               "kurser i två format finns i båda."),
    FileSpec("utbildade_per_manad.csv",
             "Nya utbildade per månad (månaden för personens första utbildningspost). En "
             "månad med färre nya än minsta gruppstorlek slås ihop med de följande.",
             [("Från månad", "ÅÅÅÅ-MM"), ("Till månad", "ÅÅÅÅ-MM, samma som Från när "
                                          "perioden är en månad"),
              ("Nya utbildade", "personer vars första utbildningspost ligger i perioden"),
              ("Timmar", "utbildningstimmar i perioden, en decimal"),
              ("Utbildade hittills", "alla utbildade till och med periodens slut"),
              ("Timmar hittills", "alla utbildningstimmar till och med periodens slut")]),
    FileSpec("svarsfrekvens.csv", "Svarsfrekvens per enkätomgång.",
             [("Omgång", "enkätomgångens namn"), ("Typ", "nulägesmätning eller uppföljning"),
              ("Svarat", "inskickade svar (täljare)"), ("Inbjudna", "inbjudna (nämnare)"),
              *SHARE_COLUMNS]),
    FileSpec("matt_forbattring.csv",
             "Mätt förbättring: parade svarande (både nulägesmätning och uppföljning) vars "
             "medelvärde steg med minst marginalen, för alla, per kommun och per "
             "timintervall.",
             [("Uppföljning", "uppföljningsomgångens namn"),
              ("Indelning", "alla, kommun eller timintervall"), ("Grupp", "gruppen"),
              ("Förbättrade", "täljare"), ("Parade", "nämnare"), *SHARE_COLUMNS]),
    FileSpec("forandrade_rutiner.csv",
             "Chefer som ändrat minst en rutin till ett digitalt eller mobilt arbetssätt "
             "(ändringsloggen).",
             [("Chefer som ändrat", "täljare"), ("Chefer", "personer med en aktiv "
                                                 "chefsanställning (nämnare)"),
              *SHARE_COLUMNS]),
    FileSpec("sjalvskattad_forbattring.csv",
             "Självskattade resultat från uppföljningsenkätens egna frågor: personal som säger "
             "att deras digitala kunskaper blivit bättre (alla och baspersonal), chefer som "
             "säger att de ändrat minst en rutin och att de blivit bättre på att leda en "
             "digital arbetsplats. Svaret 'Vet inte' räknas varken i täljaren eller nämnaren.",
             [("Mått", "vad som räknas"), ("Ja", "svarat ja (täljare)"),
              ("Svarat ja eller nej", "nämnare"), *SHARE_COLUMNS]),
    FileSpec("ombud.csv", "Digitaliseringsombudens arbete per kommun.",
             [("Kommunkod", "SCB:s kommunkod"), ("Kommun", "kommunen; sista raden 'Hela "
                                                 "programmet'"),
              ("Ombud", "personer med ett uppdrag som ombud under programmet"),
              ("Arbetsplatser med ombud", "aktiva arbetsplatser som ett ombud täcker"),
              ("Arbetsplatser utan ombud", "aktiva arbetsplatser utan ombud"),
              ("Handledningstillfällen", "loggade handledningar"),
              ("Handledningstimmar", "ombudens loggade tid, en decimal"),
              ("Handledda personer", "personer som namngetts vid en handledning, var och en "
                                     "en gång"),
              ("Mikroutbildningar", "tillfällen som ombuden hållit"),
              (HIDDEN, "vilka av Ombud och Handledda personer som döljs och varför")]),
    FileSpec("handlingsplaner.csv", "De digitala handlingsplanerna per kommun.",
             [("Kommunkod", "SCB:s kommunkod"), ("Kommun", "kommunen"),
              ("Planer", "kommunens och dess enheters planer under programmet"),
              ("Antagna", "planer med status antagen"), ("Mål", "målen i planerna"),
              ("Klara", "åtgärder som är klara"), ("Pågår", "åtgärder som pågår"),
              ("Ej påbörjade", "åtgärder som inte har börjat"),
              ("Försenade", "åtgärder som inte är klara eller strukna och vars datum har "
                            "passerat (räknas inte också som pågår eller ej påbörjade)"),
              ("Strukna", "åtgärder som strukits")]),
]


def _decimal(value: float | None, places: int = 1) -> str:
    return "" if value is None else f"{value:.{places}f}".replace(".", ",")


def _reason(hidden: bool, reason: str) -> str:
    if not hidden:
        return ""
    return "skydd" if reason == privacy.COMPLEMENT else "för få"


def _count(count: Count) -> list:
    if count.hidden:
        return ["", "", _reason(True, count.reason)]
    return [count.people, _decimal(count.minutes / 60), ""]


def _share(proportion: Proportion) -> list:
    if proportion.hidden or not proportion.denominator:
        return ["", "", "", _reason(proportion.hidden, proportion.reason)]
    low, high = proportion.interval
    return [_decimal(100 * proportion.share), _decimal(100 * low), _decimal(100 * high), ""]


def _breakdown_rows(programme: Programme, group_by: str) -> list[list]:
    if group_by == "format":
        rows, total = figures.trained_by_format(programme), figures.trained(programme)
    else:
        rows, total = figures.trained_by(programme, group_by)
    names = dashboard.labels(group_by, [row.key for row in rows])
    result = []
    for row in rows:
        label = str(names.get(row.key, row.key if row.key is not None else _("Not stated")))
        result.append([label, *_count(row)])
    result.sort(key=lambda values: values[0])
    return [*result, ["Hela programmet", *_count(total)]]


def _municipality_rows(programme: Programme) -> list[list]:
    rows, total = figures.trained_by(programme, "municipality")
    municipalities = {m.pk: m for m in programme.municipalities.all()}
    result = sorted(([municipalities[row.key].code, municipalities[row.key].name, *_count(row)]
                     for row in rows if row.key in municipalities), key=lambda r: r[1])
    return [*result, ["", "Hela programmet", *_count(total)]]


def _trend_rows(programme: Programme) -> list[list]:
    return [[group["months"][0], group["months"][-1], group["people"],
             _decimal(group["minutes"] / 60), group["cumulative_people"],
             _decimal(group["cumulative_minutes"] / 60)]
            for group in figures.trend(programme)]


def _response_rows(programme: Programme) -> list[list]:
    rows = []
    for round_, proportion in figures.response_rates(programme):
        kind = "uppföljning" if round_.baseline_id else "nulägesmätning"
        counts = (["", ""] if proportion.hidden
                  else [proportion.numerator, proportion.denominator])
        rows.append([round_.name, kind, *counts, *_share(proportion)])
    return rows


def _improvement_rows(programme: Programme) -> list[list]:
    rows = []
    bands = dashboard.labels("hours_band", figures.HOUR_BANDS)

    def line(round_, division, group, proportion):
        counts = (["", ""] if proportion.hidden or not proportion.denominator
                  else [proportion.numerator, proportion.denominator])
        rows.append([round_.name, division, group, *counts, *_share(proportion)])

    for round_ in programme.survey_rounds.filter(baseline__isnull=False).order_by("opens_on",
                                                                                   "pk"):
        overall = figures.measured_improvement(round_)
        if overall is None:
            continue
        line(round_, "alla", "Alla parade", overall)
        by_municipality = figures.improvement_by_municipality(round_) or []
        names = dashboard.labels("municipality", [p.key for p in by_municipality])
        for proportion in sorted(by_municipality, key=lambda p: names.get(p.key, "")):
            line(round_, "kommun", names.get(proportion.key, str(proportion.key)), proportion)
        for proportion in figures.improvement_by_hours(round_) or []:
            line(round_, "timintervall", str(bands[proportion.key]), proportion)
    return rows


def _routine_rows(programme: Programme) -> list[list]:
    share = figures.changed_routines(programme)
    counts = ["", ""] if share.hidden else [share.numerator, share.denominator]
    return [[*counts, *_share(share)]]


def _reported_rows(programme: Programme) -> list[list]:
    rows = []
    with translation.override("sv"):  # the extract is in Swedish whatever the user's language
        lines = reported_rows(programme)
    for label, share in lines:
        counts = ["", ""] if share.hidden else [share.numerator, share.denominator]
        rows.append([label, *counts, *_share(share)])
    return rows


def _ambassador_rows(programme: Programme) -> list[list]:
    work, ambassadors_total, reached_total, ambassadors, reached, _n = ambassador_rows(
        programme)

    def hidden_note(ambassador_cell, reached_cell):
        notes = []
        if ambassador_cell.hidden:
            notes.append(f"Ombud: {_reason(True, ambassador_cell.reason)}")
        if reached_cell.hidden:
            notes.append(f"Handledda personer: {_reason(True, reached_cell.reason)}")
        return ", ".join(notes)

    def people(cell):
        return "" if cell.hidden else cell.count

    rows = []
    for w in work:
        a, r = ambassadors[w.municipality.pk], reached[w.municipality.pk]
        rows.append([w.municipality.code, w.municipality.name, people(a), w.units_covered,
                     w.units_uncovered, w.entries, _decimal(w.coaching_minutes / 60),
                     people(r), w.micro_trainings, hidden_note(a, r)])
    rows.append(["", "Hela programmet", people(ambassadors_total),
                 sum(w.units_covered for w in work), sum(w.units_uncovered for w in work),
                 sum(w.entries for w in work),
                 _decimal(sum(w.coaching_minutes for w in work) / 60), people(reached_total),
                 sum(w.micro_trainings for w in work),
                 hidden_note(ambassadors_total, reached_total)])
    return rows


def _plan_rows(programme: Programme) -> list[list]:
    return [[s.municipality.code, s.municipality.name, s.plans, s.adopted, s.goals, s.done,
             s.in_progress, s.not_started, s.overdue, s.cancelled]
            for s in plan_queries.plan_status(programme)]


def tables(programme: Programme) -> dict[str, list[list]]:
    """{file name: rows} for every file of FILES (headers from FILES)."""
    return {
        "utbildade_per_kommun.csv": _municipality_rows(programme),
        "utbildade_per_personalkategori.csv": _breakdown_rows(programme, "staff_category"),
        "utbildade_per_malgrupp.csv": _breakdown_rows(programme, "target_group"),
        "utbildade_per_kon.csv": _breakdown_rows(programme, "gender"),
        "utbildade_per_aldersgrupp.csv": _breakdown_rows(programme, "age_band"),
        "utbildade_per_kursformat.csv": _breakdown_rows(programme, "format"),
        "utbildade_per_manad.csv": _trend_rows(programme),
        "svarsfrekvens.csv": _response_rows(programme),
        "matt_forbattring.csv": _improvement_rows(programme),
        "forandrade_rutiner.csv": _routine_rows(programme),
        "sjalvskattad_forbattring.csv": _reported_rows(programme),
        "ombud.csv": _ambassador_rows(programme),
        "handlingsplaner.csv": _plan_rows(programme),
    }


def readme(programme: Programme) -> str:
    margin = _decimal(figures.IMPROVEMENT_MARGIN)
    lines = [
        f"Utvärderingsunderlag: {programme.name}",
        f"{programme.owner_organisation}, {programme.starts_on.isoformat()} till "
        f"{programme.ends_on.isoformat()}",
        "",
        "Tabellerna har inga namn, inga personnummer och inga person-id: varje rad är en "
        "grupp. En grupp med färre personer än "
        f"{figures.min_size(programme)} visas inte, och inte heller en grupp som skulle "
        "avslöja en dold grupp (kolumnen Dold säger varför).",
        "Filerna är semikolonseparerade, UTF-8 med BOM. Decimaltecken är komma.",
        f"Mätt förbättring: medelvärdet av självskattningen steg med minst {margin} steg på "
        "den femgradiga skalan.",
        f"Definitionerna finns i Modigs dokumentation: {DOCS}.",
        "",
    ]
    for spec in FILES:
        lines += [spec.name, f"  {spec.about}"]
        lines += [f"  - {column}: {about}" for column, about in spec.columns]
        lines.append("")
    return "\r\n".join(lines)


def extract_zip(programme: Programme) -> tuple[bytes, list[str]]:
    """The ZIP's bytes and its file names."""
    content = tables(programme)
    buffer = io.BytesIO()
    names = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LASMIG.txt", ("\ufeff" + readme(programme)).encode("utf-8"))
        names.append("LASMIG.txt")
        for spec in FILES:
            archive.writestr(spec.name, csv_bytes([column for column, _about in spec.columns],
                                                  content[spec.name]))
            names.append(spec.name)
    return buffer.getvalue(), names
