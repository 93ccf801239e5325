"""Words the data generator builds German and English names, companies and notes from.

All of it is fictional. Phone numbers come only from the ranges regulators keep free for
film and television (Bundesnetzagentur; Ofcom), so a generated number reaches nobody.
"""

from __future__ import annotations

from decimal import Decimal


def _words(text: str, separator: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(separator))


GERMAN_FEMALE = _words(
    "Anna Maria Ursula Monika Petra Elisabeth Sabine Renate Helga Karin Brigitte Ingrid Erika Andrea "
    "Gisela Claudia Susanne Gabriele Christa Christine Hildegard Stefanie Julia Birgit Barbara Katharina "
    "Nicole Sandra Martina Heike Angelika Doris Kerstin Melanie Lena Laura Lea Sophie Marie Hannah Emma "
    "Mia Leonie Johanna Franziska Jana Nadine Anja Tanja Silke Britta Jutta Özlem Ayşe Elif Zeynep "
    "Katrin Daniela Simone Yvonne Carolin Miriam Theresa Charlotte Clara Greta Ida Paula Frieda Luise"
)
GERMAN_MALE = _words(
    "Peter Michael Thomas Andreas Wolfgang Klaus Jürgen Günter Stefan Christian Uwe Werner Horst Frank "
    "Dieter Manfred Gerhard Hans Bernd Torsten Markus Matthias Alexander Martin Sven Jens Jörg Dirk Ralf "
    "Holger Lukas Leon Finn Jonas Paul Felix Maximilian Niklas Tim Jan Tobias Florian Sebastian Philipp "
    "Benjamin Moritz Simon Johannes David Mehmet Mustafa Ahmet Emre Kai Lars Nils Björn Heiko Volker "
    "Hans-Peter Karl-Heinz Friedrich Konstantin Till Malte Henrik Ole Jannik Fabian Marco Dominik"
)
GERMAN_LAST = _words(
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter "
    "Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner "
    "Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber Kaiser "
    "Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel Friedrich Keller Günther Frank Berger "
    "Winkler Roth Beck Lorenz Baumann Franke Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin "
    "Schumacher Krämer Vogt Stein Jäger Otto Sommer Groß Seidel Heinrich Brandt Haas Schreiber Graf "
    "Schulte Dietrich Ziegler Kuhn Kühn Pohl Engel Horn Busch Bergmann Thomas Voigt Sauer Arnold Wolff "
    "Pfeiffer Yılmaz Kaya Demir Şahin Çelik Nowak Kowalski Popović Rossi"
)
ENGLISH_FEMALE = _words(
    "Olivia Amelia Isla Ava Emily Sophia Grace Mia Poppy Ella Lily Evie Isabella Sophie Jessica Chloe "
    "Charlotte Emma Hannah Lucy Sarah Rebecca Laura Rachel Claire Helen Karen Susan Margaret Catherine "
    "Elizabeth Victoria Natalie Megan Zoe Niamh Aoife Siobhán Saoirse Ciara Róisín Priya Aisha Fatima"
)
ENGLISH_MALE = _words(
    "Oliver George Harry Jack Jacob Noah Charlie Muhammad Thomas Oscar William James Henry Leo Alfie "
    "Joshua Freddie Archie Ethan Isaac Daniel Samuel Joseph Benjamin Matthew Andrew David Richard Mark "
    "Paul Michael Christopher Stephen Simon Peter Robert John Edward Liam Seán Conor Ciarán Cian Rohan"
)
ENGLISH_LAST = _words(
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson "
    "Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin "
    "Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson "
    "Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell "
    "Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson "
    "Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes "
    "Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey O'Brien "
    "O'Connor Byrne Ryan O'Sullivan Walsh McCarthy Doyle Kennedy Lynch Murphy Whitfield"
)

GERMAN_POSITIONS = (
    "Geschäftsführer",
    "Geschäftsführerin",
    "Leiter IT",
    "Leiterin Einkauf",
    "IT-Administrator",
    "Projektleiterin",
    "Projektleiter",
    "Vertriebsleiter",
    "Assistenz der Geschäftsführung",
    "Datenschutzbeauftragte",
    "Buchhaltung",
    "Personalleiterin",
    "Teamleiter Service",
    "Prokurist",
    "Werkleiter",
)
ENGLISH_POSITIONS = (
    "Managing Director",
    "Head of IT",
    "Procurement Manager",
    "Office Manager",
    "Project Manager",
    "Sales Director",
    "Finance Manager",
    "Operations Lead",
    "Data Protection Officer",
    "Head of People",
    "IT Support Engineer",
    "Chief Technology Officer",
)

GERMAN_COMPANY_WORDS = _words(
    "Nord Süd West Ost Rhein Main Elbe Spree Isar Alpen Hanse Weser Neckar Mosel Donau Harz Eifel "
    "Stern Licht Werk Blick Quelle Brücke Tal Berg Feld Turm Hafen Wald"
)
GERMAN_BRANCHES = (
    "Logistik",
    "Maschinenbau",
    "Medien",
    "Gesundheit",
    "Steuerberatung",
    "Immobilien",
    "Elektrotechnik",
    "Bau",
    "Systemhaus",
    "Personalberatung",
    "Versicherungsmakler",
    "Druckerei",
    "Lebensmittel",
    "Automotive",
    "Energie",
)
GERMAN_LEGAL_FORMS = ("GmbH", "GmbH", "GmbH", "AG", "GmbH & Co. KG", "KG", "e.K.", "UG (haftungsbeschränkt)")
ENGLISH_COMPANY_WORDS = _words(
    "North Bridge Harbour Oak Silver Green River Stone Bright Kingfisher Meridian Summit Thistle Shannon "
    "Liffey Thames Avon Severn Pennine Atlantic Clover Beacon Falcon Granite Willow"
)
ENGLISH_BRANCHES = (
    "Logistics",
    "Engineering",
    "Media",
    "Healthcare",
    "Accountants",
    "Property",
    "Analytics",
    "Construction",
    "IT Services",
    "Recruitment",
    "Insurance",
    "Printing",
    "Foods",
    "Training",
    "Energy",
)
ENGLISH_LEGAL_FORMS = ("Ltd", "Ltd", "Ltd", "plc", "LLP", "DAC")
INDUSTRIES = (
    "Logistics",
    "Manufacturing",
    "Media",
    "Healthcare",
    "Tax advice",
    "Real estate",
    "Software",
    "Construction",
    "IT services",
    "Recruitment",
    "Insurance",
    "Printing",
    "Food",
    "Automotive",
    "Energy",
)

# (city, postal code prefix or full code, phone ranges of the region)
GERMAN_CITIES = (
    ("Berlin", "101"),
    ("Hamburg", "204"),
    ("München", "803"),
    ("Köln", "506"),
    ("Frankfurt am Main", "603"),
    ("Stuttgart", "701"),
    ("Düsseldorf", "402"),
    ("Leipzig", "041"),
    ("Dortmund", "441"),
    ("Bremen", "281"),
    ("Dresden", "010"),
    ("Hannover", "301"),
    ("Nürnberg", "904"),
    ("Freiburg im Breisgau", "791"),
)
AUSTRIAN_CITIES = (("Wien", "10"), ("Graz", "80"), ("Innsbruck", "60"), ("Salzburg", "50"))
BRITISH_CITIES = (("London", "EC1A"), ("Manchester", "M1"), ("Leeds", "LS1"), ("Bristol", "BS1"))
IRISH_CITIES = (("Dublin", "D02"), ("Cork", "T12"), ("Galway", "H91"))
GERMAN_STREETS = _words(
    "Hauptstraße|Bahnhofstraße|Gartenstraße|Schulstraße|Dorfstraße|Bergstraße|Lindenstraße|Kirchstraße|"
    "Industriestraße|Am Hafen|Marktplatz|Goethestraße|Schillerstraße|Mozartstraße|Ringstraße|Parkallee|"
    "Friedrichstraße|Kaiserstraße|Königsallee|Rheinuferstraße",
    "|",
)
ENGLISH_STREETS = _words(
    "High Street|Station Road|Church Lane|Victoria Road|Green Lane|Manor Road|Park Road|Queens Road|"
    "Kings Road|Grand Canal Quay|Baker Street|Mill Lane|Market Square|Harbour View",
    "|",
)

# Fictional number ranges: Bundesnetzagentur (Berlin, Frankfurt, Hamburg, Köln, München)
# and Ofcom (London, Leeds, Manchester, Bristol, Glasgow), 1,000 numbers each.
GERMAN_PHONE_RANGES = ("+493023125", "+496990009", "+494066969", "+492214710", "+498999998")
BRITISH_PHONE_RANGES = ("+442079460", "+441134960", "+441614960", "+441174960", "+441414960")

TOPICS_DE = (
    "Netzwerkmodernisierung",
    "Wartungsvertrag",
    "Cloud-Migration",
    "Datenschutz-Audit",
    "Backup-Konzept",
    "Schulung Office 365",
    "Firewall-Erneuerung",
    "ERP-Einführung",
    "Rahmenvertrag",
    "Supportverlängerung",
    "IT-Sicherheitscheck",
    "Druckerflotte",
)
TOPICS_EN = (
    "network upgrade",
    "maintenance contract",
    "cloud migration",
    "data protection audit",
    "backup strategy",
    "Microsoft 365 training",
    "firewall replacement",
    "ERP roll-out",
    "framework agreement",
    "support renewal",
    "security review",
    "printer fleet",
)

# Subjects and bodies per activity kind; {topic}, {organization}, {other} (a person's name) are filled in.
SUBJECTS = {
    "de": {
        "meeting": (
            "Termin: {topic}",
            "Workshop {topic} bei {organization}",
            "Jahresgespräch {organization}",
        ),
        "call": ("Telefonat zu {topic}", "Rückruf wegen {topic}", "Kurzabstimmung {topic}"),
        "email": ("Angebot {topic}", "Unterlagen {topic}", "Rückfrage {topic}"),
        "task": (
            "Angebot {topic} nachfassen",
            "Unterlagen an {organization} senden",
            "Termin {topic} planen",
        ),
        "note": ("Notiz {topic}", "Gesprächsnotiz {organization}", "Hinweis zu {topic}"),
        "event": ("Infoabend {topic}", "Frühstück IT-Sicherheit", "Hausmesse {topic}"),
    },
    "en": {
        "meeting": ("Meeting: {topic}", "{topic} workshop at {organization}", "Annual review {organization}"),
        "call": ("Call about the {topic}", "Call back re {topic}", "Quick sync on the {topic}"),
        "email": ("Proposal: {topic}", "Documents for the {topic}", "Question on the {topic}"),
        "task": (
            "Follow up on the {topic} proposal",
            "Send documents to {organization}",
            "Plan {topic} meeting",
        ),
        "note": ("Note on the {topic}", "Call notes {organization}", "Heads-up: {topic}"),
        "event": ("Briefing evening: {topic}", "Security breakfast", "Open day: {topic}"),
    },
}
BODIES = {
    "de": (
        "{other} ist beim Thema {topic} mit im Boot und möchte bis Monatsende ein Angebot.",
        "Abgestimmt: {other} übernimmt intern die Koordination, Budget ist freigegeben.",
        "Rückmeldung von {other}: Der Zeitplan für {topic} verschiebt sich um zwei Wochen.",
        "Bitte {other} in Kopie nehmen, sie/er entscheidet mit über {topic}.",
        "Kurz mit {other} gesprochen; offene Punkte zu {topic} gehen per E-Mail raus.",
        "Unterlagen zu {topic} an {organization} geschickt, Rückfragen an {other}.",
    ),
    "en": (
        "{other} is involved in the {topic} and would like a proposal by the end of the month.",
        "Agreed: {other} coordinates internally, the budget is approved.",
        "Update from {other}: the {topic} timeline moves by two weeks.",
        "Please copy {other}, who has a say in the {topic}.",
        "Spoke briefly with {other}; open points on the {topic} go out by email.",
        "Sent the {topic} documents to {organization}; questions go to {other}.",
    ),
}
PERSON_NOTES = {
    "de": (
        "Vertretung im Urlaub: {other}.",
        "Kennt {other} aus einem früheren Projekt.",
        "Berichtet an {other}.",
    ),
    "en": (
        "Deputy during holidays: {other}.",
        "Knows {other} from an earlier project.",
        "Reports to {other}.",
    ),
}
SOURCE_NOTES = {
    "provided_by_subject": ("Business card", "Website contact form", "Trade fair"),
    "public": ("Company website", "Commercial register", "LinkedIn profile"),
    "received_from_client": ("Named by the client as contact person", "User list from the client"),
    "other": ("Recommended by a partner", "Introduced by a colleague"),
}
LOCATIONS = ("Video call", "At the client's office", "Our office", "Teams", "On site")
CLOSE_REASONS = {
    "won": ("Best overall concept", "Existing relationship and good references", "Fastest delivery"),
    "lost": ("Price too high", "Project postponed", "Chose a competitor", "No budget this year"),
}
DEAL_TITLES = {
    "de": ("Rahmenvertrag {topic}", "{topic} {organization}", "Projekt {topic}"),
    "en": ("{topic} framework agreement", "{topic} for {organization}", "{topic} project"),
}

# The seeded catalogue: (name, net price per unit).
SALES_PRODUCTS = tuple(
    (name, Decimal(price))
    for name, price in (
        ("Beratung", "120.00"),
        ("Projektleitung", "140.00"),
        ("Softwareentwicklung", "110.00"),
        ("Schulung (Tag)", "1200.00"),
        ("Workshop", "950.00"),
        ("Wartungsvertrag", "480.00"),
        ("Lizenz Standard", "49.00"),
        ("Lizenz Enterprise", "199.00"),
        ("Hosting", "89.00"),
        ("Support", "95.00"),
        ("Datenschutz-Audit", "2400.00"),
        ("Migration", "130.00"),
    )
)
