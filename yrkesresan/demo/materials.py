"""Demo course material for "Handläggning med barnet i centrum": for participants, day by day,
and the centrally kept trainer material with an older and a current facilitator guide.

`seed_materials()` is idempotent: rows are matched on (course, audience, day, title, version)
and updated in place. Material added by editors is left alone.
"""

from datetime import date

from yrkesresan.catalog.models import Course
from yrkesresan.materials.models import Material

from . import content as demo_content

COURSE_SLUG = demo_content.HANDLAGGNING["slug"]
KUNSKAPSGUIDEN = demo_content.KUNSKAPSGUIDEN
SAMARBETSRUM = "https://samarbetsrum.example.se/yrkesresan/barn-och-unga/handlaggning/"
SOL_IN_FORCE = date(2025, 7, 1)

PARTICIPANT = Material.Audience.PARTICIPANT
TRAINER = Material.Audience.TRAINER

# (audience, day or None, title, version, published on, description, body, url)
MATERIALS = [
    (
        PARTICIPANT,
        None,
        "Kursplan och upplägg",
        "2.0",
        date(2025, 6, 16),
        "Kursens mål, de fyra kursdagarna och vad som förväntas av dig mellan dagarna.",
        (
            "Kursen består av förberedelser, fyra kursdagar och fördjupningsuppgifter.\n\n"
            "Förberedelserna gör du i plattformen innan kursdag 1. De tar ungefär tre timmar.\n\n"
            "Kursdag 1 (Aktualisering) och kursdag 2 (Utredning) hålls två veckor i följd. "
            "Kursdag 3 (Bedömning, beslut och mål för insatser) och kursdag 4 (Placeringar och "
            "uppföljning) hålls efter ett uppehåll på några veckor, så att du hinner pröva det "
            "du lärt dig i ditt eget arbete.\n\n"
            "Efter kursdagarna lämnar du in tre fördjupningsuppgifter. När du har varit med "
            "alla dagar, gjort förberedelserna och fått uppgifterna godkända klarmarkeras du "
            "och får ett intyg."
        ),
        "",
    ),
    (
        PARTICIPANT,
        None,
        "Ordlista: begrepp i barnärenden",
        "2.0",
        date(2025, 6, 16),
        "Korta förklaringar av de begrepp som används under kursdagarna.",
        (
            "Aktualisering – när socialnämnden får kännedom om ett barn genom anmälan, "
            "ansökan eller på annat sätt.\n"
            "Skyddsbedömning – bedömningen samma dag av om barnet behöver omedelbart skydd.\n"
            "Förhandsbedömning – beslutet, inom 14 dagar, om utredning ska inledas.\n"
            "BBIC – Barns behov i centrum, Socialstyrelsens struktur för handläggning och "
            "dokumentation.\n"
            "Vårdplan och genomförandeplan – planerna för vården och för hur den ska "
            "genomföras.\n"
            "Övervägande och omprövning – den regelbundna prövningen av om vården behövs och "
            "hur den ska utformas."
        ),
        "",
    ),
    (
        PARTICIPANT,
        1,
        "Fallet Elsa: en orosanmälan från skolan",
        "2.0",
        date(2025, 6, 16),
        "Fallbeskrivningen vi arbetar med under eftermiddagen på kursdag 1.",
        (
            "Elsa är nio år och går i årskurs 3. Hennes mentor hör av sig en måndag i oktober: "
            "Elsa har kommit till skolan utan frukost flera gånger, har blåmärken på armen som "
            "hon inte vill berätta om och säger att hon inte vill gå hem efter fritids.\n\n"
            "Under övningen arbetar ni i grupp med tre frågor:\n"
            "1. Vad behöver göras i dag? Gör en skyddsbedömning.\n"
            "2. Vilka uppgifter behöver ni för förhandsbedömningen, och från vem?\n"
            "3. Hur informerar ni Elsa och hennes vårdnadshavare, och i vilken ordning?"
        ),
        "",
    ),
    (
        PARTICIPANT,
        1,
        "Checklista: skyddsbedömning och förhandsbedömning",
        "2.0",
        date(2025, 6, 16),
        "Stöd för de första fjorton dagarna, med lagrummen i den nya socialtjänstlagen.",
        "",
        KUNSKAPSGUIDEN + "barns-behov-i-centrum-bbic/",
    ),
    (
        PARTICIPANT,
        2,
        "BBIC-triangeln: arbetsmaterial",
        "2.0",
        date(2025, 6, 16),
        "Triangelns tre sidor med frågor att använda i utredningsplanen.",
        (
            "Barnets behov: hälsa, utbildning, känslor och beteende, identitet, familj och "
            "sociala relationer, socialt uppträdande, förmåga att klara sig själv.\n\n"
            "Föräldrarnas förmåga: grundläggande omsorg, säkerhet, känslomässig tillgänglighet, "
            "stimulans, vägledning och gränssättning, stabilitet.\n\n"
            "Familj och miljö: familjens bakgrund och funktion, släkt och nätverk, boende, "
            "arbete och ekonomi, social integrering, lokalsamhällets resurser."
        ),
        KUNSKAPSGUIDEN + "barns-behov-i-centrum-bbic/barns-behov-i-centrum/",
    ),
    (
        PARTICIPANT,
        2,
        "Samtalsstöd: att prata med barn",
        "2.0",
        date(2025, 6, 16),
        "Mall för att planera ett samtal med ett barn, som du också använder i "
        "fördjupningsuppgift 3.",
        (
            "Före samtalet: Vad är syftet? Vad vet barnet om varför ni ses? Var träffas ni, och "
            "vilka hjälpmedel passar barnets ålder?\n\n"
            "Under samtalet: Berätta vem du är och vad som händer med det barnet säger. Ställ "
            "öppna frågor. Ge barnet tid.\n\n"
            "Efter samtalet: Dokumentera barnets egna ord. Berätta för barnet vad som händer "
            "härnäst."
        ),
        KUNSKAPSGUIDEN + "samtal-med-barn/",
    ),
    (
        PARTICIPANT,
        3,
        "Övning: mål för insatser",
        "2.0",
        date(2025, 6, 16),
        "Fem mål från verkliga vårdplaner att pröva och skriva om.",
        (
            "Pröva varje mål mot tre frågor: Utgår målet från barnets behov? Går det att veta "
            "när målet är nått? Skulle barnet förstå målet?\n\n"
            "Exempel: ”Stärka föräldraförmågan” blir ”Elsa äter frukost hemma alla skoldagar "
            "och hennes mamma följer henne till skolan minst tre dagar i veckan.”"
        ),
        "",
    ),
    (
        PARTICIPANT,
        3,
        "Mall: från analys till bedömning",
        "2.0",
        date(2025, 6, 16),
        "Struktur för den sammanfattande bedömningen, med barnets bästa som egen rubrik.",
        "",
        SAMARBETSRUM + "mall-bedomning.docx",
    ),
    (
        PARTICIPANT,
        4,
        "Placeringsprocessen i korthet",
        "2.0",
        date(2025, 6, 16),
        "Från beslut om vård till uppföljning: vem gör vad, och när.",
        (
            "Vid en placering ska nämnden upprätta en vårdplan och en genomförandeplan, följa "
            "vården noga och överväga vården minst var sjätte månad. Vid vård med stöd av LVU "
            "prövas vården på samma sätt, och i vissa fall ska den omprövas.\n\n"
            "Barnets kontakt med föräldrar och nätverk ska planeras och dokumenteras, liksom "
            "barnets egen syn på placeringen."
        ),
        "",
    ),
    (
        PARTICIPANT,
        4,
        "Checklista: uppföljning av vården",
        "2.0",
        date(2025, 6, 16),
        "Frågor att ställa vid varje besök hos barnet i familjehemmet.",
        "",
        SAMARBETSRUM + "checklista-uppfoljning.pdf",
    ),
    (
        TRAINER,
        None,
        "Handledning för utbildare",
        "2.0",
        date(2024, 8, 15),
        "Ersatt av version 2.1 efter den nya socialtjänstlagen.",
        (
            "Handledningen beskriver kursens upplägg, utbildarnas roller och hur varje kursdag "
            "genomförs. Lagrummen hänvisar till socialtjänstlagen (2001:453)."
        ),
        SAMARBETSRUM + "handledning-utbildare-2-0.pdf",
    ),
    (
        TRAINER,
        None,
        "Handledning för utbildare",
        "2.1",
        SOL_IN_FORCE,
        "Kursens upplägg, rollerna i utbildarteamet och genomförandet dag för dag.",
        (
            "Version 2.1 är uppdaterad för den nya socialtjänstlagen (2025:400), som gäller "
            "från den 1 juli 2025. Alla lagrum i presentationerna och övningarna är ändrade; "
            "innehållet i övrigt är detsamma.\n\n"
            "Kursansvarig är med alla fyra dagarna och håller ihop helheten. Varje team med "
            "fyra utbildare tar två dagar. Läs avsnittet om din dag och de gemensamma "
            "avsnitten om gruppindelning, tidshållning och hur ni fångar upp frågor som ska "
            "tas vidare till arbetsledningen i deltagarnas kommuner."
        ),
        SAMARBETSRUM + "handledning-utbildare-2-1.pdf",
    ),
    (
        TRAINER,
        None,
        "Planeringsstöd för kursansvarig",
        "2.1",
        SOL_IN_FORCE,
        "Det kursansvarig gör före, under och efter kursomgången.",
        (
            "Före: stäm av deltagarlistan med samordnaren och fördela dagarna mellan teamen.\n"
            "Under: markera närvaro varje dag och boka ersättningsdagar via samordnaren.\n"
            "Efter: granska fördjupningsuppgifterna tillsammans med utbildarna och "
            "klarmarkera dem som är klara."
        ),
        "",
    ),
]

DAY_TITLES = ["Aktualisering", "Utredning", "Bedömning, beslut och mål för insatser", "Placeringar"]


def trainer_day_material():
    """The slides and exercise instructions of each course day (current version 2.1)."""
    rows = []
    for day, title in enumerate(DAY_TITLES, start=1):
        rows.append(
            (
                TRAINER,
                day,
                f"Presentation kursdag {day}: {title}",
                "2.1",
                SOL_IN_FORCE,
                "Bildspelet för dagen med talarmanus i anteckningarna.",
                "",
                SAMARBETSRUM + f"presentation-dag-{day}-2-1.pptx",
            )
        )
        rows.append(
            (
                TRAINER,
                day,
                f"Övningsinstruktioner dag {day}",
                "2.1",
                SOL_IN_FORCE,
                "Tider, gruppindelning och frågor att följa upp i helgrupp.",
                (
                    "Dela in deltagarna i grupper om fyra till fem, helst från olika kommuner. "
                    "Låt grupperna arbeta 40 minuter och avsätt 20 minuter till redovisning i "
                    "helgrupp. Be grupperna skriva ner frågor de inte fick svar på; kursansvarig "
                    "samlar in dem."
                ),
                "",
            )
        )
    return rows


def seed_materials():
    """Create or update the demo material of the demo course; returns the Material rows."""
    course = Course.objects.get(slug=COURSE_SLUG)
    kept = []
    rows = MATERIALS + trainer_day_material()
    for order, (audience, day, title, version, published_on, description, body, url) in enumerate(
        rows, start=1
    ):
        material, _ = Material.objects.update_or_create(
            course=course,
            audience=audience,
            day_number=day,
            title=title,
            version=version,
            defaults={
                "published_on": published_on,
                "description": description,
                "body": body,
                "url": url,
                "order": order,
            },
        )
        kept.append(material)
    return kept
