"""The default self-assessment questionnaires: care staff, and managers in care.

Written in plain Swedish (klarspråk) for people who work in elderly care and disability
support, many with Swedish as a second language: short sentences, "jag" and "du", everyday
words. Every rating item is a "Jag kan …" statement, so it reads naturally with the scale in
`surveys.scale` ("Jag kan inte det" … "Jag kan det och kan hjälpa andra"), and is tied to ONE
DigComp 2.2 competence, so results stay comparable when a later version rewords an item.
Every item has an example from a normal working day, because "digital competence" means
little until it is "the night camera" or "the alarm in your phone".

This module is plain data. `surveys.questionnaires.load_default_questionnaires` writes it to
the database (data migration 0002 and `modig load-default-questionnaires`). The follow-up
items (FOLLOW_UP_ITEMS) came later: `surveys.questionnaires.add_default_follow_up_items`
adds them as a new version of each default questionnaire (data migration 0006), so rounds
that already use version 1 keep it unchanged.
"""

STAFF_CODE = "omsorg-medarbetare"
MANAGER_CODE = "omsorg-chef"
FRAMEWORK_CODE = "digcomp-2-2"

INTRO_SV = (
    "Den här enkäten handlar om hur du använder digital teknik i ditt arbete. "
    "Det kan vara mobilen, surfplattan, datorn, larm och andra tekniska hjälpmedel.\n\n"
    "Dina svar hjälper oss att planera utbildning som passar dig och dina kollegor. "
    "Vi ställer samma frågor igen efter en tid. Då ser vi om utbildningen har hjälpt.\n\n"
    "Det finns inga rätta eller fel svar. Svara som det är för dig i dag. "
    "Om något inte finns på din arbetsplats väljer du ”Vet inte / gäller inte mig”."
)
INTRO_EN = (
    "This survey is about how you use digital technology in your work. "
    "That can be your phone, a tablet, a computer, alarms and other technical aids.\n\n"
    "Your answers help us plan training that suits you and your colleagues. "
    "We will ask the same questions again later. Then we can see if the training has helped.\n\n"
    "There are no right or wrong answers. Answer as things are for you today. "
    "If something does not exist at your workplace, choose \"Don't know / not relevant for "
    "me\"."
)

MANAGER_INTRO_SV = (
    "Den här enkäten handlar om hur du använder digital teknik i ditt arbete, "
    "och hur du leder en arbetsplats där tekniken blir en del av vardagen.\n\n"
    "Dina svar hjälper oss att planera utbildning och stöd för chefer och deras arbetsgrupper. "
    "Vi ställer samma frågor igen efter en tid. Då ser vi om insatserna har hjälpt.\n\n"
    "Det finns inga rätta eller fel svar. Svara som det är för dig i dag. "
    "Om något inte finns hos er väljer du ”Vet inte / gäller inte mig”."
)
MANAGER_INTRO_EN = (
    "This survey is about how you use digital technology in your work, "
    "and how you lead a workplace where technology is part of everyday work.\n\n"
    "Your answers help us plan training and support for managers and their teams. "
    "We will ask the same questions again later. Then we can see if the efforts have helped.\n\n"
    "There are no right or wrong answers. Answer as things are for you today. "
    "If something does not exist at your workplace, choose \"Don't know / not relevant for "
    "me\"."
)

# Background items: they fill the response's group attributes (Item.BackgroundField).
# Unit and occupation take their choices from the registry, so they have none here.
BACKGROUND = [
    {
        "background_field": "unit",
        "text_sv": "Var arbetar du?",
        "text_en": "Where do you work?",
        "example_sv": "Välj den enhet där du arbetar mest.",
        "example_en": "Choose the unit where you work the most.",
        "choices": [],
    },
    {
        "background_field": "occupation",
        "text_sv": "Vilket yrke har du?",
        "text_en": "What is your job?",
        "example_sv": "Till exempel undersköterska, vårdbiträde eller stödassistent.",
        "example_en": "For example assistant nurse, care assistant or support assistant.",
        "choices": [],
    },
    {
        "background_field": "years_in_care",
        "text_sv": "Hur länge har du arbetat i vård och omsorg?",
        "text_en": "How long have you worked in health and social care?",
        "example_sv": "Räkna alla år, också hos andra arbetsgivare.",
        "example_en": "Count all years, also with other employers.",
        "choices": [
            {"value": 1, "sv": "Mindre än 1 år", "en": "Less than 1 year"},
            {"value": 2, "sv": "1–5 år", "en": "1–5 years"},
            {"value": 3, "sv": "6–15 år", "en": "6–15 years"},
            {"value": 4, "sv": "Mer än 15 år", "en": "More than 15 years"},
        ],
    },
    {
        "background_field": "digital_use",
        "text_sv": "Hur ofta använder du digitala verktyg i arbetet?",
        "text_en": "How often do you use digital tools at work?",
        "example_sv": "Till exempel mobil, surfplatta, dator, larm eller digitala lås.",
        "example_en": "For example a phone, tablet, computer, alarms or digital locks.",
        # Higher value = more use, so averages read the right way round.
        "choices": [
            {"value": 5, "sv": "Flera gånger om dagen", "en": "Several times a day"},
            {"value": 4, "sv": "Varje dag", "en": "Every day"},
            {"value": 3, "sv": "Varje vecka", "en": "Every week"},
            {"value": 2, "sv": "Mer sällan", "en": "Less often"},
            {"value": 1, "sv": "Aldrig", "en": "Never"},
        ],
    },
]


def _item(competence, text_sv, example_sv, text_en, example_en):
    return {"competence": competence, "text_sv": text_sv, "example_sv": example_sv,
            "text_en": text_en, "example_en": example_en}


# Self-rating items for everyone who works with residents and clients, grouped by DigComp area.
STAFF_ITEMS = [
    # 1 Information and data literacy
    _item(
        "1.1",
        "Jag kan hitta en rutin på intranätet.",
        "Du letar upp rutinen för hur man förebygger fall, och läser den på intranätet.",
        "I can find a procedure on the intranet.",
        "You look up the procedure for preventing falls and read it on the intranet.",
    ),
    _item(
        "1.1",
        "Jag kan se mitt arbetsschema i en app.",
        "Du öppnar schemat i mobilen och ser vilka pass du har nästa vecka.",
        "I can check my work schedule in an app.",
        "You open the schedule on your phone and see which shifts you have next week.",
    ),
    _item(
        "1.2",
        "Jag kan avgöra om information på internet går att lita på.",
        "Du läser om en sjukdom och kollar att texten kommer från 1177 eller en annan "
        "säker källa.",
        "I can judge whether information on the internet can be trusted.",
        "You read about an illness and check that the text comes from 1177 or another "
        "reliable source.",
    ),
    _item(
        "1.3",
        "Jag kan dokumentera i journalsystemet med mobil eller surfplatta.",
        "Efter ett besök skriver du en kort anteckning direkt i mobilen. Då kan "
        "kollegorna på nästa pass läsa den.",
        "I can write notes in the care record system on a phone or tablet.",
        "After a visit you write a short note straight away on your phone. Then your "
        "colleagues on the next shift can read it.",
    ),
    _item(
        "1.3",
        "Jag kan rapportera en avvikelse digitalt.",
        "En brukare har ramlat. Du skriver en avvikelse i systemet samma dag.",
        "I can report an incident digitally.",
        "A resident has fallen. You report the incident in the system the same day.",
    ),
    # 2 Communication and collaboration
    _item(
        "2.1",
        "Jag kan ringa och ta emot videosamtal.",
        "Du pratar med en anhörig i ett videosamtal om hur hennes pappa mår.",
        "I can make and answer video calls.",
        "You talk to a relative in a video call about how her father is doing.",
    ),
    _item(
        "2.2",
        "Jag kan dela information med kollegor på ett säkert sätt.",
        "Du delar en ny rutin i arbetsgruppens chatt i jobbets app. Du skickar den inte från "
        "din privata mobil.",
        "I can share information with colleagues in a safe way.",
        "You share a new procedure in the team chat in the work app. You do not send it from "
        "your private phone.",
    ),
    _item(
        "2.3",
        "Jag kan hjälpa en brukare att använda en surfplatta.",
        "Du visar hur hen ser på nyheterna, lyssnar på musik eller läser sina meddelanden "
        "på 1177.",
        "I can help a resident use a tablet.",
        "You show them how to watch the news, listen to music or read their messages on "
        "1177.",
    ),
    _item(
        "2.4",
        "Jag kan samarbeta med kollegor i ett digitalt verktyg.",
        "Du skriver in veckans aktiviteter i en gemensam planering som alla i gruppen kan "
        "se och ändra.",
        "I can work together with colleagues in a digital tool.",
        "You enter the week's activities in a shared plan that everyone in the team can "
        "see and change.",
    ),
    _item(
        "2.5",
        "Jag kan skriva på ett respektfullt sätt i digitala kanaler.",
        "Du skriver om en brukare i gruppens chatt. Du skriver sakligt och vänligt, och "
        "bara det som behövs.",
        "I can write respectfully in digital channels.",
        "You write about a resident in the team chat. You write factually and kindly, and "
        "only what is needed.",
    ),
    _item(
        "2.6",
        "Jag kan skydda min inloggning, så att ingen annan använder den.",
        "Du loggar ut när du går från datorn. Du lånar aldrig ut ditt kort eller din kod "
        "till en kollega.",
        "I can protect my log-in, so that no one else uses it.",
        "You log out when you leave the computer. You never lend your card or your code "
        "to a colleague.",
    ),
    # 3 Digital content creation
    _item(
        "3.1",
        "Jag kan spela in en kort instruktionsfilm med mobilen.",
        "Du filmar hur man laddar larmknappen, så att nya kollegor kan titta. Ingen "
        "brukare syns i filmen.",
        "I can record a short instruction video with my phone.",
        "You film how to charge the alarm button, so that new colleagues can watch. No "
        "resident is seen in the video.",
    ),
    _item(
        "3.2",
        "Jag kan ändra i ett dokument som någon annan har skrivit.",
        "Du uppdaterar veckans aktivitetsschema med nya tider och sparar det på rätt "
        "ställe.",
        "I can edit a document that someone else has written.",
        "You update the week's activity schedule with new times and save it in the right "
        "place.",
    ),
    _item(
        "3.3",
        "Jag kan välja bilder och musik som jag har rätt att använda.",
        "Du gör en affisch om sommarfesten och kollar att du får använda bilderna.",
        "I can choose pictures and music that I have the right to use.",
        "You make a poster for the summer party and check that you may use the pictures.",
    ),
    _item(
        "3.4",
        "Jag kan ställa in ett tekniskt hjälpmedel så att det gör rätt sak vid rätt tid.",
        "Du ställer in en digital kalender så att en brukare får en påminnelse när det är "
        "dags att äta.",
        "I can set up a technical aid so that it does the right thing at the right time.",
        "You set up a digital calendar so that a resident gets a reminder when it is time "
        "to eat.",
    ),
    # 4 Safety
    _item(
        "4.1",
        "Jag kan göra ett säkert lösenord.",
        "Du väljer ett långt lösenord, till exempel tre ord i rad. Du har inte samma "
        "lösenord på jobbet som privat.",
        "I can make a safe password.",
        "You choose a long password, for example three words in a row. You do not use "
        "the same password at work and at home.",
    ),
    _item(
        "4.1",
        "Jag kan använda digitala nycklar och lås på rätt sätt.",
        "Du öppnar brukarens dörr med mobilen. När du går kollar du att dörren är låst.",
        "I can use digital keys and locks the right way.",
        "You open the resident's door with your phone. When you leave you check that "
        "the door is locked.",
    ),
    _item(
        "4.2",
        "Jag kan känna igen ett falskt mejl eller sms.",
        "Du får ett sms som ber dig klicka på en länk och logga in. Du klickar inte, och "
        "du berättar för din chef.",
        "I can recognise a fake e-mail or text message.",
        "You get a text message asking you to click a link and log in. You do not click, "
        "and you tell your manager.",
    ),
    _item(
        "4.2",
        "Jag kan följa reglerna om sekretess när jag tar bilder i arbetet.",
        "Du tar aldrig bilder på en brukare med din privata mobil. Om en bild behövs, "
        "till exempel av ett sår, följer du rutinen.",
        "I can follow the confidentiality rules when I take pictures at work.",
        "You never take pictures of a resident with your private phone. If a picture is "
        "needed, for example of a wound, you follow the procedure.",
    ),
    _item(
        "4.3",
        "Jag kan göra digital tillsyn på natten med kamera.",
        "Du tittar in med kameran på de tider som är bestämda, så att brukaren får sova "
        "ostört.",
        "I can do digital night checks with a camera.",
        "You look in with the camera at the agreed times, so that the resident can sleep "
        "undisturbed.",
    ),
    _item(
        "4.3",
        "Jag kan hjälpa en brukare att känna sig trygg med sitt trygghetslarm.",
        "Du visar hur larmknappen fungerar och provar den tillsammans med brukaren.",
        "I can help a resident feel safe with their safety alarm.",
        "You show how the alarm button works and test it together with the resident.",
    ),
    _item(
        "4.4",
        "Jag kan använda tekniken på ett sätt som är bra för miljön.",
        "Du skriver inte ut papper i onödan. Du tar hand om mobiler och surfplattor så "
        "att de håller länge.",
        "I can use technology in a way that is good for the environment.",
        "You do not print paper you do not need. You take care of phones and tablets so "
        "that they last a long time.",
    ),
    # 5 Problem solving
    _item(
        "5.1",
        "Jag kan starta om en mobil eller surfplatta när den har hängt sig.",
        "Mobilen slutar svara mitt i dokumentationen. Du startar om den och kollar att "
        "anteckningen sparades.",
        "I can restart a phone or tablet when it has frozen.",
        "The phone stops responding while you are writing notes. You restart it and check "
        "that the note was saved.",
    ),
    _item(
        "5.1",
        "Jag kan göra rätt när ett larm eller en sensor slutar fungera.",
        "En sängsensor ger ingen signal. Du ser till att brukaren är trygg, gör tillsyn på "
        "annat sätt och anmäler felet.",
        "I can do the right thing when an alarm or a sensor stops working.",
        "A bed sensor gives no signal. You make sure the resident is safe, check on them "
        "another way and report the fault.",
    ),
    _item(
        "5.1",
        "Jag kan hjälpa till när en läkemedelsrobot inte fungerar som den ska.",
        "Läkemedelsroboten piper och brukaren får inte ut sina tabletter. Du läser vad "
        "skärmen säger och vet vem du ska ringa.",
        "I can help when a medication dispenser does not work as it should.",
        "The dispenser beeps and the resident cannot get their pills. You read what the "
        "screen says and know who to call.",
    ),
    _item(
        "5.2",
        "Jag kan se när ett tekniskt hjälpmedel kan göra livet lättare för en brukare.",
        "Du märker att en brukare ofta glömmer att dricka. Du föreslår en påminnelse eller "
        "ett annat hjälpmedel.",
        "I can see when a technical aid could make life easier for a resident.",
        "You notice that a resident often forgets to drink. You suggest a reminder or "
        "another aid.",
    ),
    _item(
        "5.3",
        "Jag kan komma med idéer om hur vi kan använda tekniken bättre.",
        "På arbetsplatsträffen föreslår du att ni använder surfplattan till musikstunder "
        "med brukarna.",
        "I can come up with ideas on how we can use technology better.",
        "At the team meeting you suggest using the tablet for music sessions with the "
        "residents.",
    ),
    _item(
        "5.4",
        "Jag kan säga vad jag behöver lära mig mer om.",
        "Du berättar för din chef vilken del av journalsystemet du tycker är svår.",
        "I can say what I need to learn more about.",
        "You tell your manager which part of the care record system you find difficult.",
    ),
    _item(
        "5.4",
        "Jag kan be en kollega eller digitaliseringsombudet om hjälp.",
        "Du förstår inte den nya appen. Du frågar ombudet i stället för att låta bli att "
        "använda den.",
        "I can ask a colleague or the digital ambassador for help.",
        "You do not understand the new app. You ask the ambassador instead of not using it.",
    ),
]

# Extra items for managers: leading a workplace where digital technology is part of the work.
MANAGER_ITEMS = [
    _item(
        "5.4",
        "Jag kan ta reda på vad min arbetsgrupp behöver lära sig om digital teknik.",
        "Du går igenom resultatet av den här enkäten med gruppen och väljer vad ni ska lära "
        "er först.",
        "I can find out what my team needs to learn about digital technology.",
        "You go through the results of this survey with the team and choose what to learn "
        "first.",
    ),
    _item(
        "5.4",
        "Jag kan planera tid för personalen att lära sig.",
        "Du lägger in en timme i månaden i schemat, så att alla kan öva med ombudet eller "
        "gå en kort utbildning.",
        "I can plan time for staff to learn.",
        "You put one hour a month in the schedule, so that everyone can practise with the "
        "ambassador or take a short course.",
    ),
    _item(
        "2.4",
        "Jag kan stötta digitaliseringsombudet i uppdraget.",
        "Du ger ombudet tid för uppdraget i schemat. Du tar upp ombudets frågor på "
        "arbetsplatsträffen.",
        "I can support the digital ambassador in their role.",
        "You give the ambassador time for the role in the schedule. You raise the "
        "ambassador's questions at the team meeting.",
    ),
    _item(
        "5.2",
        "Jag kan införa ny välfärdsteknik i arbetsgruppen.",
        "Innan ni börjar med digitala lås gör du en plan: vem som lär sig först, när alla "
        "får prova och vem man frågar.",
        "I can introduce new welfare technology in my team.",
        "Before you start using digital locks you make a plan: who learns first, when "
        "everyone gets to try and who to ask.",
    ),
    _item(
        "1.2",
        "Jag kan följa upp hur en ny digital rutin fungerar.",
        "En månad efter att ni började med digital signering tittar du på avvikelserna och "
        "frågar gruppen vad som fungerar.",
        "I can follow up how a new digital routine works.",
        "A month after you started signing digitally you look at the incident reports and "
        "ask the team what works.",
    ),
    _item(
        "4.2",
        "Jag kan reglerna för informationssäkerhet som gäller för mig som chef.",
        "Du ser till att nya medarbetare får egna inloggningar, och att behörigheter tas "
        "bort när någon slutar.",
        "I know the information security rules that apply to me as a manager.",
        "You make sure that new staff get their own log-ins, and that access is removed "
        "when someone leaves.",
    ),
    _item(
        "2.4",
        "Jag kan leda ett möte på video.",
        "Du håller arbetsplatsträff på video, så att även de som arbetar natt kan vara med.",
        "I can lead a meeting by video.",
        "You hold the team meeting by video, so that those who work nights can also take "
        "part.",
    ),
]

# Follow-up items: asked only in follow-up rounds (Round.asks_follow_up_items), on a page of
# their own before the last one. Each answer goes to a column of the response
# (Item.OutcomeField); the values are surveys.models.OUTCOME_* (3 and 2 are "yes", 1 "no",
# 0 "don't know", which the figures leave out). They give the programme's outcome figures
# (outcomes.reported): the self-reported stronger knowledge of staff, and the managers'
# changed routines and stronger leadership.
_DONT_KNOW = {"value": 0, "sv": "Vet inte", "en": "Don't know"}
_YES_NO = [
    {"value": 3, "sv": "Ja, mycket", "en": "Yes, a lot"},
    {"value": 2, "sv": "Ja, lite", "en": "Yes, a little"},
    {"value": 1, "sv": "Nej", "en": "No"},
    _DONT_KNOW,
]
KNOWLEDGE_ITEM = {
    "background_field": "knowledge_gain",
    "text_sv": "Har dina kunskaper om digital teknik blivit bättre sedan utbildningen började?",
    "text_en": "Has your knowledge of digital technology become stronger since the training "
               "started?",
    "example_sv": "Tänk på hela tiden: kurser, hjälp från ditt digitaliseringsombud och det "
                  "du har lärt dig själv i arbetet.",
    "example_en": "Think of the whole time: courses, help from your digital ambassador and "
                  "what you have learnt yourself at work.",
    "choices": _YES_NO,
}
ROUTINE_ITEM = {
    "background_field": "routine_changed",
    "text_sv": "Har du ändrat minst en rutin så att ni nu arbetar digitalt eller mobilt?",
    "text_en": "Have you changed at least one routine so that you now work in a digital or "
               "mobile way?",
    "example_sv": "Till exempel dokumentation i mobilen, digital signering av läkemedel "
                  "eller möten på video i stället för på plats.",
    "example_en": "For example documenting on a phone, signing for medicines digitally, or "
                  "meetings by video instead of in person.",
    "choices": [
        {"value": 3, "sv": "Ja, flera rutiner", "en": "Yes, several routines"},
        {"value": 2, "sv": "Ja, en rutin", "en": "Yes, one routine"},
        {"value": 1, "sv": "Nej", "en": "No"},
        _DONT_KNOW,
    ],
}
LEADERSHIP_ITEM = {
    "background_field": "leadership_gain",
    "text_sv": "Har du blivit bättre på att leda en arbetsplats där digital teknik är en del "
               "av arbetet?",
    "text_en": "Have you become better at leading a workplace where digital technology is "
               "part of the work?",
    "example_sv": "Till exempel att planera ny teknik, stötta medarbetare som tycker att det "
                  "är svårt, eller följa upp hur tekniken används.",
    "example_en": "For example planning new technology, supporting staff who find it hard, or "
                  "following up how the technology is used.",
    "choices": _YES_NO,
}
FOLLOW_UP_ITEMS = {
    "staff": [KNOWLEDGE_ITEM],
    "manager": [ROUTINE_ITEM, LEADERSHIP_ITEM],
}

DEFAULTS = [
    {
        "code": STAFF_CODE,
        "audience": "staff",
        "title_sv": "Digital kompetens i vård och omsorg",
        "title_en": "Digital competence in health and social care",
        "intro_sv": INTRO_SV,
        "intro_en": INTRO_EN,
        "items": STAFF_ITEMS,
    },
    {
        "code": MANAGER_CODE,
        "audience": "manager",
        "title_sv": "Digital kompetens i vård och omsorg – för chefer",
        "title_en": "Digital competence in health and social care – for managers",
        "intro_sv": MANAGER_INTRO_SV,
        "intro_en": MANAGER_INTRO_EN,
        "items": STAFF_ITEMS + MANAGER_ITEMS,
    },
]

DEFAULT_CODES = {entry["audience"]: entry["code"] for entry in DEFAULTS}
