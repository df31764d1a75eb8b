"""Templates for needs-based micro-trainings an ambassador runs at a unit (issue 6).

Kept in code, not the database: a short, reviewed list the programme owns. Competences are
DigComp 2.2 codes (competence/reference.py).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class MicroTemplate:
    key: str
    title: str
    description: str
    minutes: int
    competences: tuple[str, ...]


TEMPLATES = (
    MicroTemplate(
        "bankid-siths", "Logga in säkert med BankID/SITHS-kort",
        "Vi loggar in tillsammans med e-legitimation och SITHS-kort, går igenom vad du gör om "
        "kortet spärras och hur du känner igen falska inloggningssidor.",
        30, ("2.6", "4.1")),
    MicroTemplate(
        "videosamtal", "Videosamtal med anhöriga",
        "Så startar du ett videosamtal åt en brukare, ställer in ljud och bild och avslutar "
        "samtalet utan att något sparas på plattan.",
        45, ("2.1", "4.2")),
    MicroTemplate(
        "digital-signering", "Digital signering i verksamhetssystemet",
        "Signera insatser och läkemedel i verksamhetssystemet, rätta en felaktig signering och "
        "se vad som saknar signatur.",
        45, ("2.6", "1.3")),
    MicroTemplate(
        "lakemedelsrobot", "Läkemedelsrobot: larm och påfyllning",
        "Vad robotens larm betyder, hur du fyller på och vem du ringer när något inte fungerar.",
        60, ("5.1", "4.3")),
)

BY_KEY = {template.key: template for template in TEMPLATES}
