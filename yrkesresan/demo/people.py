"""The demo region (Region Mälardalen) and its fictional people, read by `manage.py seed_demo`.

Everything here is deterministic: the generated names come from seeded `random.Random`
instances, and e-mail addresses (the natural key of a person) never depend on the date the
command runs. Only the start dates in the profession are relative to that date, so that most
participants stay on the step Ny however old the demo database is.

All names are fictional. Every demo account has the password DEMO_PASSWORD.
"""

import random
import unicodedata
from dataclasses import dataclass
from datetime import date

DEMO_PASSWORD = "demo-yrkesresan"

STRUCTURE_NAME = "Region Mälardalen – Yrkesresan Sörmland, Västmanland och Örebro län"
STRUCTURE_SHORT_NAME = "Region Mälardalen"
# Södermanlands län, Västmanlands län, Örebro län.
STRUCTURE_COUNTY_CODES = ("04", "19", "18")
EDITED_JOURNEY = "barn-och-unga"

MOTTAGNING = "Mottagningsenheten barn och unga"
UTREDNING = "Utredningsenheten barn och familj"
FAMILJEHEM = "Familjehemsenheten"
UNGDOM = "Ungdomsenheten"

# The connected municipalities of the region: kommunkod -> (name, joined on, inhabitants in
# thousands, units). Not members: Arboga 1984, Västerås 1980, Hällefors 1863, Karlskoga 1883,
# Ljusnarsberg 1864 and Örebro 1880.
REGION_MEMBERS = {
    # Södermanlands län: all nine.
    "0484": ("Eskilstuna", date(2021, 5, 1), 107, (MOTTAGNING, UTREDNING, FAMILJEHEM, UNGDOM)),
    "0480": ("Nyköping", date(2021, 5, 1), 58, (MOTTAGNING, UTREDNING, FAMILJEHEM)),
    "0486": ("Strängnäs", date(2021, 6, 1), 38, (UTREDNING, FAMILJEHEM)),
    "0483": ("Katrineholm", date(2021, 5, 17), 35, (UTREDNING, FAMILJEHEM)),
    "0482": ("Flen", date(2021, 6, 1), 16, (UTREDNING,)),
    "0488": ("Trosa", date(2021, 6, 14), 15, (UTREDNING,)),
    "0481": ("Oxelösund", date(2021, 6, 14), 12, (UTREDNING,)),
    "0461": ("Gnesta", date(2021, 9, 1), 11, (UTREDNING,)),
    "0428": ("Vingåker", date(2021, 9, 1), 9, (UTREDNING,)),
    # Västmanlands län: all but Arboga and Västerås.
    "1983": ("Köping", date(2021, 5, 20), 27, (UTREDNING, FAMILJEHEM)),
    "1981": ("Sala", date(2021, 6, 1), 23, (UTREDNING, FAMILJEHEM)),
    "1961": ("Hallstahammar", date(2021, 6, 1), 16, (UTREDNING,)),
    "1982": ("Fagersta", date(2021, 9, 1), 13, (UTREDNING,)),
    "1907": ("Surahammar", date(2021, 9, 1), 10, (UTREDNING,)),
    "1960": ("Kungsör", date(2021, 9, 15), 9, (UTREDNING,)),
    "1962": ("Norberg", date(2021, 10, 1), 6, (UTREDNING,)),
    "1904": ("Skinnskatteberg", date(2021, 10, 1), 4, (UTREDNING,)),
    # Örebro län: all but Hällefors, Karlskoga, Ljusnarsberg and Örebro.
    "1881": ("Kumla", date(2021, 5, 10), 23, (UTREDNING, FAMILJEHEM)),
    "1885": ("Lindesberg", date(2021, 6, 1), 23, (UTREDNING, FAMILJEHEM)),
    "1861": ("Hallsberg", date(2021, 6, 1), 16, (UTREDNING,)),
    "1882": ("Askersund", date(2021, 9, 1), 12, (UTREDNING,)),
    "1884": ("Nora", date(2021, 9, 1), 11, (UTREDNING,)),
    "1862": ("Degerfors", date(2021, 10, 1), 9, (UTREDNING,)),
    "1814": ("Lekeberg", date(2021, 10, 1), 9, (UTREDNING,)),
    "1860": ("Laxå", date(2021, 11, 1), 6, (UTREDNING,)),
}

# Outside the region, about 91% of the country's municipalities are members too: all but
# NATIONAL_NON_MEMBERS of them, picked deterministically (Västra Götaland, home of the
# original Yrkesresan, is fully connected). 6 + 19 non-members leave 265 of 290 connected.
NATIONAL_NON_MEMBERS = 19
FULLY_CONNECTED_COUNTIES = ("14",)

PARTICIPANT_TITLES = (
    "Socialsekreterare",
    "Barnutredare",
    "Barnföljare",
    "Ungdomsledare",
    "Familjehemssekreterare",
)
MANAGER_TITLE = "Enhetschef"
TEAM_LEADER_TITLE = "Teamledare"
# Unit managers are placed on the Chef step and team leaders on Arbetsledare (WorkRole).
WORK_ROLE_OF_TITLE = {MANAGER_TITLE: "unit_manager", TEAM_LEADER_TITLE: "team_leader"}

# Titles with weights per unit; a municipality with a single unit does everything there.
UNIT_TITLES = {
    MOTTAGNING: (("Socialsekreterare", 1),),
    UTREDNING: (("Socialsekreterare", 5), ("Barnutredare", 3), ("Ungdomsledare", 1)),
    FAMILJEHEM: (("Familjehemssekreterare", 3), ("Barnföljare", 2)),
    UNGDOM: (("Ungdomsledare", 3), ("Socialsekreterare", 1)),
}
SINGLE_UNIT_TITLES = (
    ("Socialsekreterare", 5),
    ("Barnutredare", 2),
    ("Familjehemssekreterare", 1),
    ("Barnföljare", 1),
    ("Ungdomsledare", 1),
)

# Generated participants; with deltagare1 and deltagare2 the region has 120 new staff.
GENERATED_PARTICIPANTS = 118

FIRST_NAMES = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Emma", "Elin", "Johanna", "Linnea", "Ida",
    "Hanna", "Sofia", "Malin", "Jenny", "Camilla", "Frida", "Matilda", "Amanda", "Julia",
    "Moa", "Ebba", "Wilma", "Lisa", "Maja", "Therese", "Josefin", "Fatima", "Amina", "Mariam",
    "Sanna", "Louise", "Helena", "Petra", "Lina", "Alice", "Klara", "Ronja", "Tove", "Elsa",
    "Erik", "Lars", "Johan", "Anders", "Karl", "Per", "Mikael", "Daniel", "Andreas", "Marcus",
    "Viktor", "Simon", "Filip", "Emil", "Niklas", "Albin", "Axel", "Ali", "Omar", "David",
    "Martin", "Robin", "Sebastian", "Gustav", "Hampus", "Isak",
)  # fmt: skip

LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
    "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Olofsson",
    "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg", "Lundgren",
    "Mattsson", "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Sjöberg", "Ali",
    "Eklund", "Danielsson", "Lundin", "Håkansson", "Bergman", "Gunnarsson", "Wikström",
    "Samuelsson", "Isaksson", "Fransson", "Bergqvist", "Holmberg", "Arvidsson", "Löfgren",
    "Söderberg", "Nyberg", "Blomqvist", "Claesson", "Nordström", "Hassan", "Ahmed",
    "Mårtensson", "Eliasson", "Björklund", "Viklund", "Berggren", "Sandström", "Nordin",
    "Ström", "Hermansson", "Sundberg", "Dahlberg", "Hellström", "Sjögren", "Falk",
    "Martinsson", "Blom", "Andreasson", "Månsson", "Åkesson", "Sundström",
)  # fmt: skip

YEAR = 365


@dataclass(frozen=True)
class DemoPerson:
    """One demo account. Roles get their scope from the person's own placement:

    manager -> the person's unit, municipal_contact -> the person's municipality,
    trainer/course_leader/coordinator -> the demo structure, national_editor -> the
    EDITED_JOURNEY, administrator -> no scope.
    """

    email: str
    first_name: str
    last_name: str
    title: str = ""
    municipality: str | None = None  # kommunkod
    unit: str | None = None
    started_days_ago: int | None = None
    roles: tuple = ()
    label: str = ""  # the role in Swedish, for the login table
    is_staff: bool = False
    is_superuser: bool = False
    findable_by_colleagues: bool = False

    @property
    def work_role(self):
        """The role at work that goes with the title (a WorkRole value), or ""."""
        return WORK_ROLE_OF_TITLE.get(self.title, "")


DEMO_ACCOUNTS = (
    DemoPerson(
        "admin@example.com", "Karin", "Wallin", "Systemförvaltare",
        started_days_ago=16 * YEAR, roles=("administrator",), label="Administratör",
        is_staff=True, is_superuser=True,
    ),
    DemoPerson(
        "redaktor@example.com", "Johanna", "Ekström", "Innehållsredaktör, Göteborgsregionen (GR)",
        started_days_ago=12 * YEAR, roles=("national_editor",),
        label="Nationell redaktör (Barn och unga)", is_staff=True,
    ),
    DemoPerson(
        "samordnare@example.com", "Lena", "Forsberg", "Utvecklingsledare, Region Sörmland",
        started_days_ago=15 * YEAR + 120, roles=("coordinator",),
        label="Regional samordnare (Region Mälardalen)",
    ),
    DemoPerson(
        "kontakt.eskilstuna@example.com", "Peter", "Lundqvist", "Verksamhetsutvecklare",
        "0484", started_days_ago=11 * YEAR, roles=("municipal_contact",),
        label="Kommunal kontaktperson (Eskilstuna)",
    ),
    DemoPerson(
        "chef.eskilstuna@example.com", "Anneli", "Sandberg", MANAGER_TITLE, "0484", UTREDNING,
        started_days_ago=14 * YEAR, roles=("manager",),
        label="Enhetschef (Utredningsenheten barn och familj, Eskilstuna)",
    ),
    DemoPerson(
        "chef.kumla@example.com", "Mikael", "Öberg", MANAGER_TITLE, "1881", FAMILJEHEM,
        started_days_ago=10 * YEAR + 200, roles=("manager",),
        label="Enhetschef (Familjehemsenheten, Kumla)",
    ),
    DemoPerson(
        "kursansvarig@example.com", "Cecilia", "Nyström", TEAM_LEADER_TITLE, "0486", UTREDNING,
        started_days_ago=13 * YEAR, roles=("course_leader", "trainer"),
        label="Kursansvarig och utbildare",
    ),
    DemoPerson(
        "utbildare1@example.com", "Emma", "Hedlund", TEAM_LEADER_TITLE, "0484", UTREDNING,
        started_days_ago=9 * YEAR, roles=("trainer",), label="Utbildare",
    ),
    DemoPerson(
        "utbildare2@example.com", "Jonas", "Strand", TEAM_LEADER_TITLE, "0484", UTREDNING,
        started_days_ago=11 * YEAR + 90, roles=("trainer",), label="Utbildare",
    ),
    DemoPerson(
        "utbildare3@example.com", "Sara", "Holmgren", "Socialsekreterare", "0483", UTREDNING,
        started_days_ago=7 * YEAR, roles=("trainer",), label="Utbildare",
    ),
    DemoPerson(
        "utbildare4@example.com", "Fredrik", "Holm", TEAM_LEADER_TITLE, "1881", UTREDNING,
        started_days_ago=8 * YEAR + 150, roles=("trainer",), label="Utbildare",
    ),
    DemoPerson(
        "utbildare5@example.com", "Malin", "Åberg", "Familjehemssekreterare", "0480", FAMILJEHEM,
        started_days_ago=6 * YEAR, roles=("trainer",), label="Utbildare",
    ),
    DemoPerson(
        "utbildare6@example.com", "Omar", "Karimi", "Socialsekreterare", "1983", UTREDNING,
        started_days_ago=6 * YEAR + 200, roles=("trainer",), label="Utbildare",
    ),
    DemoPerson(
        "utbildare7@example.com", "Linda", "Björk", TEAM_LEADER_TITLE, "1981", UTREDNING,
        started_days_ago=12 * YEAR, roles=("trainer",), label="Utbildare",
    ),
    DemoPerson(
        "utbildare8@example.com", "Ulrika", "Engström", "Socialsekreterare", "1885", UTREDNING,
        started_days_ago=9 * YEAR + 60, roles=("trainer",), label="Utbildare",
    ),
    DemoPerson(
        "deltagare1@example.com", "Nora", "Lindholm", "Socialsekreterare", "0484", UTREDNING,
        started_days_ago=243, label="Deltagare (ny socialsekreterare, Eskilstuna)",
        findable_by_colleagues=True,
    ),
    DemoPerson(
        "deltagare2@example.com", "Oskar", "Wikström", "Barnföljare", "1881", FAMILJEHEM,
        started_days_ago=426, label="Deltagare (barnföljare, Kumla)",
    ),
)  # fmt: skip


def ascii_fold(text):
    """'Åsa Öberg' -> 'asa-oberg': lower case ASCII for e-mail addresses."""
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii").lower().replace(" ", "-")


def demo_email(first_name, last_name, number):
    return f"{ascii_fold(first_name)}.{ascii_fold(last_name)}.{number}@example.com"


def region_units():
    """(kommunkod, unit name) for every unit in the region, in a stable order."""
    return [(code, unit) for code, (*_, units) in REGION_MEMBERS.items() for unit in units]


def allocate(total):
    """Participants per municipality: one per unit, the rest by size (largest remainder)."""
    counts = {code: len(units) for code, (*_, units) in REGION_MEMBERS.items()}
    rest = total - sum(counts.values())
    population = sum(size for _, _, size, _ in REGION_MEMBERS.values())
    quotas = {code: rest * size / population for code, (_, _, size, _) in REGION_MEMBERS.items()}
    for code, quota in quotas.items():
        counts[code] += int(quota)
    leftover = total - sum(counts.values())
    by_remainder = sorted(quotas, key=lambda code: (-(quotas[code] % 1), code))
    for code in by_remainder[:leftover]:
        counts[code] += 1
    return counts


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _experience_days(rng):
    """Most participants are new (Ny), some have 2-5 years (Van), a few more (Erfaren)."""
    draw = rng.random()
    if draw < 0.75:
        return rng.randint(20, 2 * YEAR - 15)
    if draw < 0.93:
        return rng.randint(2 * YEAR + 15, 5 * YEAR - 15)
    return rng.randint(5 * YEAR + 15, 12 * YEAR)


def generated_participants():
    rng = random.Random(2023)
    people = []
    number = 0
    for code, count in allocate(GENERATED_PARTICIPANTS).items():
        units = REGION_MEMBERS[code][3]
        for index in range(count):
            unit = units[index % len(units)]
            titles = UNIT_TITLES[unit] if len(units) > 1 else SINGLE_UNIT_TITLES
            title = _weighted(rng, titles)
            first_name = rng.choice(FIRST_NAMES)
            last_name = rng.choice(LAST_NAMES)
            days = _experience_days(rng)
            number += 1
            people.append(
                DemoPerson(
                    demo_email(first_name, last_name, number),
                    first_name,
                    last_name,
                    title,
                    code,
                    unit,
                    started_days_ago=days,
                    findable_by_colleagues=number % 3 == 0,
                )
            )
    return people


def generated_managers():
    """An Enhetschef for every unit that no named demo account manages."""
    rng = random.Random(2024)
    managed = {
        (person.municipality, person.unit) for person in DEMO_ACCOUNTS if "manager" in person.roles
    }
    people = []
    for index, (code, unit) in enumerate(region_units(), start=1):
        # Draw for every unit so that names stay put if a named manager is added or removed.
        first_name = rng.choice(FIRST_NAMES)
        last_name = rng.choice(LAST_NAMES)
        days = rng.randint(7 * YEAR, 22 * YEAR)
        if (code, unit) in managed:
            continue
        people.append(
            DemoPerson(
                demo_email(first_name, last_name, 200 + index),
                first_name,
                last_name,
                MANAGER_TITLE,
                code,
                unit,
                started_days_ago=days,
                roles=("manager",),
            )
        )
    return people


def all_demo_people():
    """Named accounts, generated participants and generated managers."""
    return [*DEMO_ACCOUNTS, *generated_participants(), *generated_managers()]
