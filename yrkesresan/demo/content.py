"""Demo catalog content: the five journeys, their steps, laws and the first courses.

Plain data read by `manage.py seed_demo`. Slugs and statute numbers are the natural keys the
command matches on, so they must stay stable; texts may be edited freely and a new run of the
command updates them. Courses refer to steps as (journey slug, step slug) and to laws by
statute number. Child lists (goals, preparation tasks, deep-dive tasks) are stored in the
order given here.
"""

from datetime import date

RIKSDAGEN_SFS = (
    "https://www.riksdagen.se/sv/dokument-och-lagar/dokument/svensk-forfattningssamling/"
)
KUNSKAPSGUIDEN = "https://kunskapsguiden.se/omraden-och-teman/barn-och-unga/"

SOL_OLD = "2001:453"
SOL_NEW = "2025:400"
LVU = "1990:52"
FL = "2017:900"
OSL = "2009:400"
SOSFS = "SOSFS 2014:6"
BARNKONVENTIONEN = "2018:1197"

LEGAL_REFERENCES = [
    {
        "short_name": "SoL",
        "title": "Socialtjänstlag",
        "sfs_number": SOL_OLD,
        "url": RIKSDAGEN_SFS + "socialtjanstlag-2001453_sfs-2001-453/",
        "valid_from": date(2002, 1, 1),
        "valid_until": date(2025, 7, 1),
        "replaced_by": SOL_NEW,
    },
    {
        "short_name": "SoL",
        "title": "Socialtjänstlag",
        "sfs_number": SOL_NEW,
        "url": RIKSDAGEN_SFS + "socialtjanstlag-2025400_sfs-2025-400/",
        "valid_from": date(2025, 7, 1),
    },
    {
        "short_name": "LVU",
        "title": "Lag med särskilda bestämmelser om vård av unga",
        "sfs_number": LVU,
        "url": RIKSDAGEN_SFS + "lag-199052-med-sarskilda-bestammelser-om-vard_sfs-1990-52/",
        "valid_from": date(1990, 7, 1),
    },
    {
        "short_name": "FL",
        "title": "Förvaltningslag",
        "sfs_number": FL,
        "url": RIKSDAGEN_SFS + "forvaltningslag-2017900_sfs-2017-900/",
        "valid_from": date(2018, 7, 1),
    },
    {
        "short_name": "OSL",
        "title": "Offentlighets- och sekretesslag",
        "sfs_number": OSL,
        "url": RIKSDAGEN_SFS + "offentlighets-och-sekretesslag-2009400_sfs-2009-400/",
        "valid_from": date(2009, 6, 30),
    },
    {
        "short_name": "SOSFS 2014:6",
        "title": (
            "Socialstyrelsens föreskrifter och allmänna råd om handläggning av ärenden som "
            "gäller barn och unga"
        ),
        "sfs_number": SOSFS,
        "url": (
            "https://www.socialstyrelsen.se/kunskapsstod-och-regler/regler-och-riktlinjer/"
            "foreskrifter-och-allmanna-rad/konsoliderade-foreskrifter/"
            "20146-om-handlaggning-av-arenden-som-galler-barn-och-unga/"
        ),
        "valid_from": date(2015, 1, 1),
    },
    {
        "short_name": "Barnkonventionen",
        "title": "Lag om Förenta nationernas konvention om barnets rättigheter",
        "sfs_number": BARNKONVENTIONEN,
        "url": RIKSDAGEN_SFS + "lag-20181197-om-forenta-nationernas-konvention_sfs-2018-1197/",
        "valid_from": date(2020, 1, 1),
    },
]

EXPERIENCE_STEPS = [
    {
        "slug": "ny",
        "name": "Ny",
        "description": (
            "För dig som har arbetat mindre än två år i yrket. Grunderna i uppdraget, "
            "lagstiftningen och arbetssättet."
        ),
        "min_years": 0,
        "max_years": 2,
    },
    {
        "slug": "van",
        "name": "Van",
        "description": (
            "För dig som har arbetat två till fem år. Fördjupade bedömningar och mer "
            "komplexa ärenden."
        ),
        "min_years": 2,
        "max_years": 5,
    },
    {
        "slug": "erfaren",
        "name": "Erfaren",
        "description": (
            "För dig som har arbetat mer än fem år. Spetskunskap, svåra ärenden och att stödja "
            "nya kollegor."
        ),
        "min_years": 5,
        "max_years": None,
    },
]

# Steps for a role at work (accounts.models.WorkRole): unit managers and team leaders are placed
# on them whatever their years in the profession.
ROLE_STEPS = [
    {
        "slug": "chef",
        "name": "Chef",
        "description": "För enhetschefer och andra chefer med ansvar för verksamhet och personal.",
        "min_years": None,
        "max_years": None,
        "work_role": "unit_manager",
    },
    {
        "slug": "arbetsledare",
        "name": "Arbetsledare",
        "description": (
            "För teamledare och arbetsledare som leder det dagliga arbetet och stöttar "
            "medarbetarna i ärendena."
        ),
        "min_years": None,
        "max_years": None,
        "work_role": "team_leader",
    },
]

LEVEL_STEPS = [
    {
        "slug": "bas",
        "name": "Bas",
        "description": "Grundläggande kunskaper för alla medarbetare inom kunskapsområdet.",
        "min_years": None,
        "max_years": None,
    },
    {
        "slug": "fordjupning",
        "name": "Fördjupning",
        "description": "Fördjupade kunskaper för dig som behöver kunna mer inom ett område.",
        "min_years": None,
        "max_years": None,
    },
    {
        "slug": "spets",
        "name": "Spets",
        "description": (
            "Specialistkunskaper inom ett avgränsat område, för nyckelpersoner i verksamheten."
        ),
        "min_years": None,
        "max_years": None,
    },
]

JOURNEYS = [
    {
        "slug": "barn-och-unga",
        "name": "Barn och unga, myndighetsutövning",
        "summary": (
            "Introduktion och kompetensutveckling för dig som arbetar med myndighetsutövning "
            "inom den sociala barn- och ungdomsvården – från mottagning och utredning till "
            "placering och uppföljning. Resan följer BBIC och har stegen Ny, Van och Erfaren, "
            "med egna kurser för chefer och arbetsledare."
        ),
        "producer": "Göteborgsregionen (GR)",
        "status": "published",
        "steps": EXPERIENCE_STEPS + ROLE_STEPS,
    },
    {
        "slug": "funktionshinder-utforare",
        "name": "Funktionshinder, utförarverksamheter",
        "summary": (
            "För dig som arbetar i utförarverksamheter inom funktionshinderområdet, till "
            "exempel i bostad med särskild service, daglig verksamhet och personlig "
            "assistans. Kurserna publiceras successivt."
        ),
        "producer": "Kommunförbundet Västernorrland",
        "status": "coming",
        "steps": EXPERIENCE_STEPS,
    },
    {
        "slug": "skadligt-bruk-och-beroende",
        "name": "Skadligt bruk och beroende, myndighetsutövning",
        "summary": (
            "För dig som utreder och beslutar om insatser till personer med skadligt bruk "
            "eller beroende av alkohol, narkotika, läkemedel eller spel. Kurserna publiceras "
            "successivt."
        ),
        "producer": "",
        "status": "coming",
        "steps": EXPERIENCE_STEPS,
    },
    {
        "slug": "aldreomsorg-utforare",
        "name": "Äldreomsorg, utförarverksamheter",
        "summary": (
            "Yrkesresan Äldre för medarbetare och chefer i hemtjänst och särskilt boende. "
            "Kurserna ligger på nivåerna bas, fördjupning och spets inom olika "
            "kunskapsområden."
        ),
        "producer": "RSS Östergötland",
        "status": "coming",
        "steps": LEVEL_STEPS,
    },
    {
        "slug": "funktionshinder-myndighetsutovning",
        "name": "Funktionshinder, myndighetsutövning",
        "summary": (
            "För dig som handlägger ärenden enligt LSS och socialtjänstlagen inom "
            "funktionshinderområdet. Resan tas fram under avtalsperioden."
        ),
        "producer": "",
        "status": "coming",
        "steps": EXPERIENCE_STEPS,
    },
]

HANDLAGGNING = {
    "journey": "barn-och-unga",
    "step": "ny",
    "slug": "handlaggning-med-barnet-i-centrum",
    "title": "Handläggning med barnet i centrum",
    "summary": (
        "Kursen följer ett barnärende från aktualisering till placering och uppföljning, med "
        "BBIC som struktur. Du tränar på att göra barnet delaktigt, att dokumentera "
        "rättssäkert och att formulera mål för insatser som går att följa upp."
    ),
    "target_group": (
        "Nya socialsekreterare (0–2 år i yrket) som utreder eller följer upp ärenden om barn "
        "och unga, även inom familjehemsvården."
    ),
    "course_days": 4,
    "version": "2.0",
    "legal_references": [SOL_NEW, SOL_OLD, LVU, FL, OSL, SOSFS, BARNKONVENTIONEN],
    "goals": [
        (
            "fakta",
            "Du kan beskriva handläggningen av ett barnärende från aktualisering till "
            "uppföljning och de tidsgränser som gäller, till exempel att förhandsbedömningen "
            "ska göras inom 14 dagar och utredningen vara klar inom fyra månader.",
        ),
        (
            "fakta",
            "Du känner till de bestämmelser i socialtjänstlagen, LVU, förvaltningslagen och "
            "offentlighets- och sekretesslagen som styr handläggningen, och vad som ändrades "
            "när den nya socialtjänstlagen trädde i kraft den 1 juli 2025.",
        ),
        (
            "forstaelse",
            "Du förstår vad barnets bästa och barnets rätt att komma till tals innebär i varje "
            "skede av handläggningen.",
        ),
        (
            "forstaelse",
            "Du förstår hur BBIC-triangeln – barnets behov, föräldrarnas förmåga samt familj "
            "och miljö – används för att strukturera utredning och bedömning.",
        ),
        (
            "fardighet",
            "Du kan göra en skyddsbedömning och en förhandsbedömning och dokumentera "
            "ställningstagandet så att det går att följa för barnet, vårdnadshavarna och en "
            "granskande myndighet.",
        ),
        (
            "fardighet",
            "Du kan formulera mål för insatser som utgår från barnets behov, är konkreta och "
            "går att följa upp.",
        ),
        (
            "fardighet",
            "Du kan planera och genomföra ett samtal med ett barn anpassat efter barnets "
            "ålder, mognad och situation.",
        ),
        (
            "fortrogenhet",
            "Du kan reflektera över egna och andras bedömningar i svåra ärenden och vet när "
            "du behöver stöd av kollegor eller arbetsledning.",
        ),
    ],
    "preparation_tasks": [
        {
            "title": "Barnets bästa i handläggningen",
            "kind": "text",
            "goal": "Du kan förklara vad principen om barnets bästa betyder i ett barnärende.",
            "motivation": (
                "Barnets bästa ska vara avgörande i alla beslut som rör barn. Principen är "
                "utgångspunkten för allt som händer under kursdagarna."
            ),
            "estimated_minutes": 15,
            "body": (
                "Barnkonventionen är svensk lag sedan den 1 januari 2020. Socialtjänstlagen "
                "säger att barnets bästa ska beaktas vid alla åtgärder som rör barn, och vara "
                "avgörande vid beslut om vård- och behandlingsinsatser för barn.\n\n"
                "Barnets bästa är inte ett fast svar utan en bedömning som görs i varje ärende. "
                "Den bygger på kunskap om barn i allmänhet, på det som framkommit om just det "
                "här barnet och på vad barnet själv berättar. Därför hör barnets rätt att komma "
                "till tals och barnets bästa ihop: utan barnets perspektiv blir bedömningen "
                "ofullständig.\n\n"
                "I dokumentationen ska det gå att se hur barnets bästa har bedömts, vilka "
                "uppgifter bedömningen bygger på och hur barnets egna åsikter har vägts in."
            ),
        },
        {
            "title": "Barns behov i centrum (BBIC) på Kunskapsguiden",
            "kind": "source",
            "goal": "Du känner till BBIC:s grundprinciper och hur BBIC-triangeln är uppbyggd.",
            "motivation": (
                "BBIC är den struktur kursen följer. Den som känner igen begreppen får ut mer "
                "av övningarna under kursdag 2 och 3."
            ),
            "estimated_minutes": 30,
            "url": KUNSKAPSGUIDEN + "barns-behov-i-centrum-bbic/barns-behov-i-centrum/",
        },
        {
            "title": "Film: Att samtala med barn",
            "kind": "video",
            "goal": "Du har sett exempel på hur ett samtal med ett barn kan läggas upp.",
            "motivation": (
                "Många nya socialsekreterare tycker att barnsamtalen är det svåraste. Filmen "
                "ger ett gemensamt exempel som vi utgår från på kursdag 2."
            ),
            "estimated_minutes": 20,
            "url": KUNSKAPSGUIDEN + "samtal-med-barn/",
        },
        {
            "title": "Den nya socialtjänstlagen – kapitlen om barn och unga",
            "kind": "source",
            "goal": (
                "Du hittar de bestämmelser som gäller utredning och insatser för barn i den "
                "nya socialtjänstlagen."
            ),
            "motivation": (
                "Lagen ersatte den tidigare socialtjänstlagen den 1 juli 2025 och "
                "paragrafnumren är nya. Du behöver kunna slå upp det som gäller i dag."
            ),
            "estimated_minutes": 45,
            "url": RIKSDAGEN_SFS + "socialtjanstlag-2025400_sfs-2025-400/",
        },
        {
            "title": "LVU – förutsättningarna för vård utan samtycke",
            "kind": "source",
            "goal": "Du känner till när vård kan beslutas enligt 2 och 3 §§ LVU.",
            "motivation": (
                "Kursdag 4 handlar om placeringar. Att känna till LVU:s grunder gör det lättare "
                "att förstå skillnaden mellan frivillig vård och tvångsvård."
            ),
            "estimated_minutes": 30,
            "url": RIKSDAGEN_SFS + "lag-199052-med-sarskilda-bestammelser-om-vard_sfs-1990-52/",
        },
        {
            "title": "Föreläsning: Från orosanmälan till förhandsbedömning",
            "kind": "video",
            "goal": "Du kan beskriva vad som ska göras från det att en anmälan kommer in.",
            "motivation": (
                "Kursdag 1 börjar i mottagningen. Föreläsningen ger en gemensam bild av "
                "skyddsbedömning och förhandsbedömning innan vi övar på fall."
            ),
            "estimated_minutes": 25,
            "url": KUNSKAPSGUIDEN + "barns-behov-i-centrum-bbic/",
        },
        {
            "title": "Reflektionsfrågor inför kursdagarna",
            "kind": "reflection",
            "goal": "Du har tänkt igenom dina egna erfarenheter och frågor inför kursen.",
            "motivation": (
                "Dina svar är utgångspunkten för gruppdiskussionerna. Du behöver inte lämna in "
                "dem, men ta med dem till kursdag 1."
            ),
            "estimated_minutes": 20,
            "body": (
                "Vilket skede av handläggningen känner du dig tryggast i, och vilket osäkrast?\n"
                "Hur märks barnets perspektiv i de utredningar du har läst eller skrivit?\n"
                "Tänk på ett samtal med ett barn som gick bra. Vad bidrog till det?\n"
                "Vilka frågor om lagstiftningen vill du få svar på under kursen?"
            ),
        },
    ],
    "day_plans": [
        {
            "title": "Aktualisering",
            "trainers": 4,
            "team": 1,
            "themes": (
                "Kursens upplägg och Yrkesresan\n"
                "Anmälan, ansökan och annat sätt att få kännedom\n"
                "Skyddsbedömning samma dag\n"
                "Förhandsbedömning inom 14 dagar\n"
                "Att informera barn och vårdnadshavare\n"
                "Fallövning: en orosanmälan från skolan"
            ),
        },
        {
            "title": "Utredning",
            "trainers": 4,
            "team": 1,
            "themes": (
                "Utredningsplan och BBIC-triangeln\n"
                "Barnets delaktighet och rätt att komma till tals\n"
                "Samtal med barn: förberedelse, genomförande och dokumentation\n"
                "Att inhämta uppgifter från nätverk och andra myndigheter\n"
                "Sekretess och samtycke"
            ),
        },
        {
            "title": "Bedömning, beslut och mål för insatser",
            "trainers": 4,
            "team": 2,
            "themes": (
                "Från analys till bedömning\n"
                "Barnets bästa i bedömningen\n"
                "Beslut, motivering och kommunicering\n"
                "Att formulera mål som går att följa upp\n"
                "Övning: mål för insatser i ett fall"
            ),
        },
        {
            "title": "Placeringar och uppföljning",
            "trainers": 4,
            "team": 2,
            "themes": (
                "Placering i familjehem och nätverkshem\n"
                "Vård med stöd av LVU\n"
                "Vårdplan och genomförandeplan\n"
                "Barnets kontakt med föräldrar och nätverk\n"
                "Uppföljning, överväganden och omprövningar\n"
                "Avslutning och utvärdering"
            ),
        },
    ],
    "deep_dive_tasks": [
        {
            "title": "Mål för insatser i ett eget ärende",
            "instructions": (
                "Välj ett ärende där insatser har beslutats. Läs målen i vårdplanen eller "
                "genomförandeplanen och pröva dem mot frågorna från kursdag 3: Utgår målet från "
                "barnets behov? Går det att veta när målet är nått? Förstår barnet målet? "
                "Skriv om minst ett mål och diskutera förslaget med din arbetsledare."
            ),
        },
        {
            "title": "Barnets röst i dokumentationen",
            "instructions": (
                "Läs en utredning du har skrivit eller varit med om. Markera var barnets egna "
                "ord och åsikter finns och hur de har vägts in i bedömningen. Skriv en kort "
                "reflektion om vad du vill göra annorlunda nästa gång och ta upp den på ett "
                "teammöte."
            ),
        },
        {
            "title": "Samtal med ett barn – planering och efterreflektion",
            "instructions": (
                "Planera ett samtal med ett barn med stöd av mallen från kursdag 2: syfte, "
                "information till barnet, miljö och hjälpmedel. Efter samtalet skriver du ner "
                "vad som fungerade och vad du vill utveckla. Dela gärna med en kollega från "
                "kursen."
            ),
        },
    ],
}

SAMTAL_MED_BARN = {
    "journey": "barn-och-unga",
    "step": "ny",
    "slug": "samtal-med-barn",
    "title": "Samtal med barn",
    "summary": (
        "Att prata med barn är en kärnuppgift i barnärenden. Kursen ger kunskap och övning i "
        "att förbereda, genomföra och dokumentera samtal med barn i olika åldrar och "
        "situationer."
    ),
    "target_group": "Nya socialsekreterare som utreder eller följer upp ärenden om barn och unga.",
    "course_days": 2,
    "version": "1.2",
    "legal_references": [SOL_NEW, SOL_OLD, BARNKONVENTIONEN, OSL],
    "goals": [
        (
            "fakta",
            "Du känner till barnets rätt att komma till tals och när socialnämnden får samtala "
            "med ett barn utan vårdnadshavarens samtycke.",
        ),
        (
            "forstaelse",
            "Du förstår hur ålder, mognad, funktionsnedsättning och erfarenheter av våld "
            "påverkar hur ett barn kan berätta.",
        ),
        (
            "fardighet",
            "Du kan planera och genomföra ett samtal med stöd av samtalsmetodik och hjälpmedel.",
        ),
        (
            "fardighet",
            "Du kan dokumentera barnets berättelse så att barnets egna ord framgår.",
        ),
    ],
    "preparation_tasks": [
        {
            "title": "Kunskapsstödet Att samtala med barn",
            "kind": "source",
            "goal": "Du känner till Socialstyrelsens kunskapsstöd om samtal med barn.",
            "motivation": "Kunskapsstödet är grunden för övningarna på kursdag 1.",
            "estimated_minutes": 40,
            "url": KUNSKAPSGUIDEN + "samtal-med-barn/",
        },
        {
            "title": "Film: Barn berättar om att möta socialtjänsten",
            "kind": "video",
            "goal": "Du har hört barns egna erfarenheter av samtal med socialsekreterare.",
            "motivation": "Barnens perspektiv påminner om varför förberedelsen är så viktig.",
            "estimated_minutes": 15,
            "url": KUNSKAPSGUIDEN + "samtal-med-barn/",
        },
        {
            "title": "Reflektionsfrågor om dina egna samtal",
            "kind": "reflection",
            "goal": "Du har tänkt igenom vad du vill utveckla i dina samtal med barn.",
            "motivation": "Frågorna används i parövningen på kursdag 1.",
            "estimated_minutes": 15,
            "body": (
                "Hur förbereder du barnet inför ett samtal i dag?\n"
                "Vad gör du när ett barn inte vill prata?\n"
                "Hur återkopplar du till barnet vad som händer med det barnet har berättat?"
            ),
        },
    ],
    "day_plans": [
        {
            "title": "Samtalets förutsättningar",
            "themes": (
                "Barnets rättigheter i samtalet\n"
                "Information till barnet före, under och efter samtalet\n"
                "Anpassning efter ålder och mognad\n"
                "Parövning: att inleda ett samtal"
            ),
        },
        {
            "title": "Svåra samtal och dokumentation",
            "themes": (
                "Samtal med barn som har upplevt våld\n"
                "När barnet är tyst eller tar tillbaka\n"
                "Tolk och stöd vid funktionsnedsättning\n"
                "Att dokumentera barnets berättelse"
            ),
        },
    ],
    "deep_dive_tasks": [
        {
            "title": "Planera och följ upp ett barnsamtal",
            "instructions": (
                "Planera ett kommande samtal med ett barn med hjälp av kursens mall. Efter "
                "samtalet jämför du planen med hur det blev och diskuterar skillnaderna med "
                "din arbetsledare."
            ),
        },
    ],
}

DOKUMENTATION = {
    "journey": "barn-och-unga",
    "step": "ny",
    "slug": "dokumentation-och-rattssaker-handlaggning",
    "title": "Dokumentation och rättssäker handläggning",
    "summary": (
        "Vad ska dokumenteras, hur och varför? Kursen går igenom kraven på dokumentation, "
        "kommunicering och sekretess i barnärenden."
    ),
    "target_group": "Nya socialsekreterare inom den sociala barn- och ungdomsvården.",
    "course_days": 1,
    "version": "1.1",
    "legal_references": [SOL_NEW, SOL_OLD, FL, OSL, SOSFS],
    "goals": [
        (
            "fakta",
            "Du känner till kraven på dokumentation i socialtjänstlagen och Socialstyrelsens "
            "föreskrifter.",
        ),
        (
            "forstaelse",
            "Du förstår sambandet mellan god dokumentation, rättssäkerhet och den enskildes "
            "möjlighet att ta del av och påverka sitt ärende.",
        ),
        (
            "fardighet",
            "Du kan skriva en journalanteckning som är saklig, tydlig och skiljer fakta från "
            "bedömningar.",
        ),
    ],
    "preparation_tasks": [
        {
            "title": "Förvaltningslagen – kommunicering och motivering",
            "kind": "source",
            "goal": "Du känner till reglerna om kommunicering och motivering av beslut.",
            "motivation": "Reglerna är grunden för övningen om beslutsmotiveringar.",
            "estimated_minutes": 25,
            "url": RIKSDAGEN_SFS + "forvaltningslag-2017900_sfs-2017-900/",
        },
        {
            "title": "Saklig och respektfull dokumentation",
            "kind": "text",
            "goal": "Du kan ge exempel på värderande och sakliga formuleringar.",
            "motivation": (
                "Barn och föräldrar kan läsa det som skrivs om dem, ibland många år senare."
            ),
            "estimated_minutes": 10,
            "body": (
                "Dokumentationen ska vara saklig och korrekt och skriven så att den enskilde "
                "kan förstå den. Skilj på vad som har hänt, vem som har sagt vad och din egen "
                "bedömning. Undvik värdeladdade ord och skriv inte mer än vad som behövs för "
                "ärendet."
            ),
        },
        {
            "title": "Reflektionsfrågor om din dokumentation",
            "kind": "reflection",
            "goal": "Du har granskat din egen dokumentation inför kursdagen.",
            "motivation": "Egna exempel gör övningarna mer verklighetsnära.",
            "estimated_minutes": 15,
            "body": (
                "Hur skulle barnet uppleva att läsa det du skrev senast?\n"
                "Var går gränsen mellan nödvändiga och onödiga uppgifter?"
            ),
        },
    ],
    "day_plans": [
        {
            "title": "Dokumentation, kommunicering och sekretess",
            "themes": (
                "Krav på dokumentation\n"
                "Journalanteckningar och utredningstext\n"
                "Kommunicering och motivering av beslut\n"
                "Sekretess och utlämnande av uppgifter"
            ),
        },
    ],
    "deep_dive_tasks": [
        {
            "title": "Granska en journalanteckning",
            "instructions": (
                "Välj en av dina egna journalanteckningar och skriv om den enligt kursens "
                "checklista. Jämför de två versionerna med en kollega."
            ),
        },
    ],
}

VALD = {
    "journey": "barn-och-unga",
    "step": "van",
    "slug": "barn-som-upplever-vald",
    "title": "Barn som upplever våld i nära relationer",
    "summary": (
        "Fördjupning i att upptäcka, utreda och bedöma situationen för barn som upplever eller "
        "utsätts för våld i familjen, och i att planera för barnets säkerhet."
    ),
    "target_group": "Socialsekreterare med två till fem års erfarenhet av barnärenden.",
    "course_days": 2,
    "version": "1.0",
    "legal_references": [SOL_NEW, SOL_OLD, LVU, BARNKONVENTIONEN],
    "goals": [
        (
            "fakta",
            "Du känner till socialnämndens ansvar för barn som har bevittnat eller utsatts "
            "för våld.",
        ),
        (
            "forstaelse",
            "Du förstår hur våld påverkar barns utveckling och relationer till föräldrarna.",
        ),
        ("fardighet", "Du kan använda en strukturerad bedömning av risk och skydd."),
    ],
    "preparation_tasks": [
        {
            "title": "Våld i nära relationer på Kunskapsguiden",
            "kind": "source",
            "goal": "Du känner till aktuell kunskap om barn som upplever våld.",
            "motivation": "Ger en gemensam kunskapsgrund inför fallarbetet.",
            "estimated_minutes": 40,
            "url": "https://kunskapsguiden.se/omraden-och-teman/vald-i-nara-relationer/",
        },
        {
            "title": "Föreläsning: Barns reaktioner på våld",
            "kind": "video",
            "goal": "Du kan känna igen vanliga reaktioner hos barn som upplever våld.",
            "motivation": "Hjälper dig att tolka det barn berättar och visar.",
            "estimated_minutes": 30,
            "url": "https://kunskapsguiden.se/omraden-och-teman/vald-i-nara-relationer/",
        },
        {
            "title": "Reflektionsfrågor om säkerhet",
            "kind": "reflection",
            "goal": "Du har tänkt igenom hur du arbetar med barnets säkerhet i dag.",
            "motivation": "Frågorna inleder kursdag 1.",
            "estimated_minutes": 15,
            "body": (
                "Hur tar du reda på om det finns våld i familjen?\n"
                "Hur planerar du ett samtal med en förälder som utövar våld?"
            ),
        },
    ],
    "day_plans": [
        {
            "title": "Att upptäcka och utreda",
            "themes": (
                "Våldets former och konsekvenser\n"
                "Att fråga om våld\n"
                "Strukturerade risk- och skyddsbedömningar"
            ),
        },
        {
            "title": "Skydd och insatser",
            "themes": (
                "Säkerhetsplanering med barnet\n"
                "Insatser för barn och föräldrar\n"
                "Samverkan med polis, skola och hälso- och sjukvård"
            ),
        },
    ],
    "deep_dive_tasks": [
        {
            "title": "Säkerhetsplan i ett ärende",
            "instructions": (
                "Gör en säkerhetsplan tillsammans med ett barn i ett aktuellt ärende, eller "
                "granska en befintlig plan med kursens frågor. Diskutera resultatet med din "
                "arbetsledare."
            ),
        },
    ],
}

LVU_I_PRAKTIKEN = {
    "journey": "barn-och-unga",
    "step": "erfaren",
    "slug": "lvu-i-praktiken",
    "title": "LVU i praktiken",
    "summary": (
        "Från ansökan om vård till förvaltningsrätten: kursen ger erfarna handläggare "
        "fördjupad kunskap om tvångsvård av barn och unga och om att företräda nämnden i "
        "domstol."
    ),
    "target_group": "Socialsekreterare med mer än fem års erfarenhet av barnärenden.",
    "course_days": 2,
    "version": "1.0",
    "legal_references": [LVU, SOL_NEW, SOL_OLD, FL, OSL],
    "goals": [
        ("fakta", "Du kan redogöra för förutsättningarna för vård enligt 2 och 3 §§ LVU."),
        (
            "fardighet",
            "Du kan skriva en ansökan om vård som tydligt kopplar omständigheterna till "
            "lagens rekvisit.",
        ),
        (
            "fortrogenhet",
            "Du kan bedöma när frivilliga insatser inte längre räcker och motivera det inför "
            "nämnd och domstol.",
        ),
    ],
    "preparation_tasks": [
        {
            "title": "Läs LVU i sin helhet",
            "kind": "source",
            "goal": "Du har en överblick över lagens alla delar.",
            "motivation": "Kursdagarna förutsätter att du hittar i lagen.",
            "estimated_minutes": 60,
            "url": RIKSDAGEN_SFS + "lag-199052-med-sarskilda-bestammelser-om-vard_sfs-1990-52/",
        },
        {
            "title": "Om omedelbart omhändertagande",
            "kind": "text",
            "goal": "Du kan beskriva gången vid ett omedelbart omhändertagande.",
            "motivation": "Beslut måste ofta fattas snabbt och utanför kontorstid.",
            "estimated_minutes": 10,
            "body": (
                "Ett omedelbart omhändertagande enligt 6 § LVU beslutas av nämnden eller, när "
                "beslutet inte kan vänta, av ordföranden. Beslutet ska underställas "
                "förvaltningsrätten inom en vecka, och ansökan om vård ska göras inom fyra "
                "veckor från omhändertagandet."
            ),
        },
        {
            "title": "Reflektionsfrågor om tvångsvård",
            "kind": "reflection",
            "goal": "Du har reflekterat över dina erfarenheter av LVU-ärenden.",
            "motivation": "Erfarenhetsutbytet är en viktig del av kursen.",
            "estimated_minutes": 15,
            "body": (
                "Vilket LVU-ärende har lärt dig mest, och varför?\n"
                "Hur gör du barnet delaktigt i en process där vårdnadshavarna inte samtycker?"
            ),
        },
    ],
    "day_plans": [
        {
            "title": "Från utredning till ansökan",
            "themes": (
                "Rekvisiten i 2 och 3 §§ LVU\n"
                "Omedelbart omhändertagande\n"
                "Att skriva ansökan om vård"
            ),
        },
        {
            "title": "Förhandling och vårdens genomförande",
            "themes": (
                "Muntlig förhandling i förvaltningsrätten\n"
                "Umgängesbegränsning och flyttningsförbud\n"
                "Övervägande, omprövning och upphörande av vården"
            ),
        },
    ],
    "deep_dive_tasks": [
        {
            "title": "Granska en dom",
            "instructions": (
                "Läs en dom från förvaltningsrätten i ett LVU-mål. Hur har domstolen prövat "
                "rekvisiten och barnets bästa? Vad kan nämnden lära av domskälen? Redovisa "
                "kort för din grupp."
            ),
        },
    ],
}

CHEF = {
    "journey": "barn-och-unga",
    "step": "chef",
    "slug": "leda-introduktion-och-kompetensutveckling",
    "title": "Att leda introduktion och kompetensutveckling",
    "summary": (
        "Hur ger du nya medarbetare en bra start och erfarna medarbetare möjlighet att "
        "utvecklas? Kursen handlar om chefens ansvar för introduktion, handledning och "
        "kompetensförsörjning."
    ),
    "target_group": "Enhetschefer och andra chefer inom den sociala barn- och ungdomsvården.",
    "course_days": 1,
    "version": "1.0",
    "legal_references": [SOL_NEW, SOL_OLD],
    "goals": [
        (
            "fakta",
            "Du känner till kraven på behörighet och på introduktion för handläggare i "
            "barnärenden.",
        ),
        (
            "forstaelse",
            "Du förstår hur introduktion och stöd påverkar om nya medarbetare stannar.",
        ),
        ("fardighet", "Du kan göra en introduktionsplan som använder Yrkesresans kurser."),
    ],
    "preparation_tasks": [
        {
            "title": "Om yrkesintroduktion",
            "kind": "source",
            "goal": "Du känner till Socialstyrelsens stöd för yrkesintroduktion.",
            "motivation": "Stödet är en utgångspunkt för kursdagens diskussioner.",
            "estimated_minutes": 30,
            "url": KUNSKAPSGUIDEN + "yrkesintroduktion/",
        },
        {
            "title": "Film: Därför stannade jag",
            "kind": "video",
            "goal": "Du har hört medarbetare berätta vad som fick dem att stanna.",
            "motivation": "Personalomsättningen är den största utmaningen i många enheter.",
            "estimated_minutes": 15,
            "url": KUNSKAPSGUIDEN + "yrkesintroduktion/",
        },
        {
            "title": "Reflektionsfrågor om introduktionen i din enhet",
            "kind": "reflection",
            "goal": "Du har kartlagt hur introduktionen fungerar i din enhet i dag.",
            "motivation": "Kartläggningen används i kursdagens arbete med en egen plan.",
            "estimated_minutes": 20,
            "body": (
                "Hur ser de första tre månaderna ut för en ny medarbetare hos er?\n"
                "Vem ansvarar för introduktionen i praktiken?\n"
                "Hur följer du upp att nya medarbetare får det stöd de behöver?"
            ),
        },
    ],
    "day_plans": [
        {
            "title": "Chefens ansvar för introduktion och kompetens",
            "themes": (
                "Behörighet och introduktion\n"
                "Handledning och kollegialt lärande\n"
                "Yrkesresan som stöd i introduktionen\n"
                "Att följa upp medarbetarnas utveckling"
            ),
        },
    ],
    "deep_dive_tasks": [
        {
            "title": "En introduktionsplan för din enhet",
            "instructions": (
                "Gör en introduktionsplan för nästa nyanställda medarbetare där kurserna på "
                "steget Ny ingår. Diskutera planen med din närmaste chef och med en erfaren "
                "medarbetare."
            ),
        },
    ],
}

COURSES = [HANDLAGGNING, SAMTAL_MED_BARN, DOKUMENTATION, VALD, LVU_I_PRAKTIKEN, CHEF]
