"""The industry classification organizations are filed under: WZ 2008, the German edition of
NACE Rev. 2 (identical down to the class level), with its 21 sections (A–U) and 88 divisions
(01–99).

An organization's ``industry_code`` holds a division ("62") or, where only the broad area is
known, a section ("J"). Titles are short English and German renderings of the official ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language


@dataclass(frozen=True)
class Industry:
    code: str
    section: str
    english: str
    german: str

    @property
    def is_section(self) -> bool:
        return self.code == self.section

    @property
    def title(self) -> str:
        """The title in the active language (German for any ``de`` variant)."""
        return self.german if (get_language() or "en").startswith("de") else self.english

    @property
    def label(self) -> str:
        return f"{self.code} – {self.title}"


# Section letter, its divisions' first and last number, English and German title.
_SECTIONS: tuple[tuple[str, int, int, str, str], ...] = (
    ("A", 1, 3, "Agriculture, forestry and fishing", "Land- und Forstwirtschaft, Fischerei"),
    ("B", 5, 9, "Mining and quarrying", "Bergbau und Gewinnung von Steinen und Erden"),
    ("C", 10, 33, "Manufacturing", "Verarbeitendes Gewerbe"),
    ("D", 35, 35, "Electricity, gas, steam and air conditioning supply", "Energieversorgung"),
    (
        "E",
        36,
        39,
        "Water supply; sewerage, waste management and remediation",
        "Wasserversorgung; Abwasser- und Abfallentsorgung, Beseitigung von Umweltverschmutzungen",
    ),
    ("F", 41, 43, "Construction", "Baugewerbe"),
    (
        "G",
        45,
        47,
        "Wholesale and retail trade; repair of motor vehicles and motorcycles",
        "Handel; Instandhaltung und Reparatur von Kraftfahrzeugen",
    ),
    ("H", 49, 53, "Transportation and storage", "Verkehr und Lagerei"),
    ("I", 55, 56, "Accommodation and food service activities", "Gastgewerbe"),
    ("J", 58, 63, "Information and communication", "Information und Kommunikation"),
    (
        "K",
        64,
        66,
        "Financial and insurance activities",
        "Erbringung von Finanz- und Versicherungsdienstleistungen",
    ),
    ("L", 68, 68, "Real estate activities", "Grundstücks- und Wohnungswesen"),
    (
        "M",
        69,
        75,
        "Professional, scientific and technical activities",
        "Freiberufliche, wissenschaftliche und technische Dienstleistungen",
    ),
    (
        "N",
        77,
        82,
        "Administrative and support service activities",
        "Sonstige wirtschaftliche Dienstleistungen",
    ),
    (
        "O",
        84,
        84,
        "Public administration and defence; compulsory social security",
        "Öffentliche Verwaltung, Verteidigung; Sozialversicherung",
    ),
    ("P", 85, 85, "Education", "Erziehung und Unterricht"),
    ("Q", 86, 88, "Human health and social work activities", "Gesundheits- und Sozialwesen"),
    ("R", 90, 93, "Arts, entertainment and recreation", "Kunst, Unterhaltung und Erholung"),
    ("S", 94, 96, "Other service activities", "Erbringung von sonstigen Dienstleistungen"),
    (
        "T",
        97,
        98,
        "Activities of households as employers and for own use",
        "Private Haushalte mit Hauspersonal; Herstellung von Waren und Dienstleistungen für den Eigenbedarf",
    ),
    (
        "U",
        99,
        99,
        "Activities of extraterritorial organisations and bodies",
        "Exterritoriale Organisationen und Körperschaften",
    ),
)

# Division number, English and German title (numbers missing here do not exist: 04, 34, 40, …).
_DIVISIONS: tuple[tuple[int, str, str], ...] = (
    (1, "Crop and animal production, hunting", "Landwirtschaft, Jagd und damit verbundene Tätigkeiten"),
    (2, "Forestry and logging", "Forstwirtschaft und Holzeinschlag"),
    (3, "Fishing and aquaculture", "Fischerei und Aquakultur"),
    (5, "Mining of coal and lignite", "Kohlenbergbau"),
    (6, "Extraction of crude petroleum and natural gas", "Gewinnung von Erdöl und Erdgas"),
    (7, "Mining of metal ores", "Erzbergbau"),
    (8, "Other mining and quarrying", "Gewinnung von Steinen und Erden, sonstiger Bergbau"),
    (9, "Mining support service activities", "Dienstleistungen für den Bergbau"),
    (10, "Manufacture of food products", "Herstellung von Nahrungs- und Futtermitteln"),
    (11, "Manufacture of beverages", "Getränkeherstellung"),
    (12, "Manufacture of tobacco products", "Tabakverarbeitung"),
    (13, "Manufacture of textiles", "Herstellung von Textilien"),
    (14, "Manufacture of wearing apparel", "Herstellung von Bekleidung"),
    (15, "Manufacture of leather and related products", "Herstellung von Leder, Lederwaren und Schuhen"),
    (16, "Manufacture of wood and wood products", "Herstellung von Holz-, Flecht-, Korb- und Korkwaren"),
    (17, "Manufacture of paper and paper products", "Herstellung von Papier, Pappe und Waren daraus"),
    (
        18,
        "Printing and reproduction of recorded media",
        "Herstellung von Druckerzeugnissen; Vervielfältigung von Ton-, Bild- und Datenträgern",
    ),
    (19, "Manufacture of coke and refined petroleum products", "Kokerei und Mineralölverarbeitung"),
    (20, "Manufacture of chemicals and chemical products", "Herstellung von chemischen Erzeugnissen"),
    (21, "Manufacture of pharmaceutical products", "Herstellung von pharmazeutischen Erzeugnissen"),
    (22, "Manufacture of rubber and plastic products", "Herstellung von Gummi- und Kunststoffwaren"),
    (
        23,
        "Manufacture of other non-metallic mineral products",
        "Herstellung von Glas, Keramik, Verarbeitung von Steinen und Erden",
    ),
    (24, "Manufacture of basic metals", "Metallerzeugung und -bearbeitung"),
    (25, "Manufacture of fabricated metal products", "Herstellung von Metallerzeugnissen"),
    (
        26,
        "Manufacture of computer, electronic and optical products",
        "Herstellung von Datenverarbeitungsgeräten, elektronischen und optischen Erzeugnissen",
    ),
    (27, "Manufacture of electrical equipment", "Herstellung von elektrischen Ausrüstungen"),
    (28, "Manufacture of machinery and equipment n.e.c.", "Maschinenbau"),
    (29, "Manufacture of motor vehicles and trailers", "Herstellung von Kraftwagen und Kraftwagenteilen"),
    (30, "Manufacture of other transport equipment", "Sonstiger Fahrzeugbau"),
    (31, "Manufacture of furniture", "Herstellung von Möbeln"),
    (32, "Other manufacturing", "Herstellung von sonstigen Waren"),
    (
        33,
        "Repair and installation of machinery and equipment",
        "Reparatur und Installation von Maschinen und Ausrüstungen",
    ),
    (35, "Electricity, gas, steam and air conditioning supply", "Energieversorgung"),
    (36, "Water collection, treatment and supply", "Wasserversorgung"),
    (37, "Sewerage", "Abwasserentsorgung"),
    (
        38,
        "Waste collection, treatment and disposal; materials recovery",
        "Sammlung, Behandlung und Beseitigung von Abfällen; Rückgewinnung",
    ),
    (
        39,
        "Remediation and other waste management services",
        "Beseitigung von Umweltverschmutzungen und sonstige Entsorgung",
    ),
    (41, "Construction of buildings", "Hochbau"),
    (42, "Civil engineering", "Tiefbau"),
    (
        43,
        "Specialised construction activities",
        "Vorbereitende Baustellenarbeiten, Bauinstallation und sonstiges Ausbaugewerbe",
    ),
    (
        45,
        "Wholesale, retail trade and repair of motor vehicles",
        "Handel mit Kraftfahrzeugen; Instandhaltung und Reparatur von Kraftfahrzeugen",
    ),
    (46, "Wholesale trade, except of motor vehicles", "Großhandel (ohne Handel mit Kraftfahrzeugen)"),
    (47, "Retail trade, except of motor vehicles", "Einzelhandel (ohne Handel mit Kraftfahrzeugen)"),
    (49, "Land transport and transport via pipelines", "Landverkehr und Transport in Rohrfernleitungen"),
    (50, "Water transport", "Schifffahrt"),
    (51, "Air transport", "Luftfahrt"),
    (
        52,
        "Warehousing and support activities for transportation",
        "Lagerei sowie Erbringung von sonstigen Dienstleistungen für den Verkehr",
    ),
    (53, "Postal and courier activities", "Post-, Kurier- und Expressdienste"),
    (55, "Accommodation", "Beherbergung"),
    (56, "Food and beverage service activities", "Gastronomie"),
    (58, "Publishing activities", "Verlagswesen"),
    (
        59,
        "Motion picture, video, television, sound recording and music publishing",
        "Herstellung, Verleih und Vertrieb von Filmen und Fernsehprogrammen; Kinos; Tonstudios und Musikverlage",
    ),
    (60, "Programming and broadcasting activities", "Rundfunkveranstalter"),
    (61, "Telecommunications", "Telekommunikation"),
    (
        62,
        "Computer programming, consultancy and related activities",
        "Erbringung von Dienstleistungen der Informationstechnologie",
    ),
    (63, "Information service activities", "Informationsdienstleistungen"),
    (
        64,
        "Financial service activities, except insurance and pension funding",
        "Erbringung von Finanzdienstleistungen",
    ),
    (
        65,
        "Insurance, reinsurance and pension funding",
        "Versicherungen, Rückversicherungen und Pensionskassen (ohne Sozialversicherung)",
    ),
    (
        66,
        "Activities auxiliary to financial services and insurance",
        "Mit Finanz- und Versicherungsdienstleistungen verbundene Tätigkeiten",
    ),
    (68, "Real estate activities", "Grundstücks- und Wohnungswesen"),
    (69, "Legal and accounting activities", "Rechts- und Steuerberatung, Wirtschaftsprüfung"),
    (
        70,
        "Activities of head offices; management consultancy",
        "Verwaltung und Führung von Unternehmen; Unternehmensberatung",
    ),
    (
        71,
        "Architectural and engineering activities; technical testing",
        "Architektur- und Ingenieurbüros; technische, physikalische und chemische Untersuchung",
    ),
    (72, "Scientific research and development", "Forschung und Entwicklung"),
    (73, "Advertising and market research", "Werbung und Marktforschung"),
    (
        74,
        "Other professional, scientific and technical activities",
        "Sonstige freiberufliche, wissenschaftliche und technische Tätigkeiten",
    ),
    (75, "Veterinary activities", "Veterinärwesen"),
    (77, "Rental and leasing activities", "Vermietung von beweglichen Sachen"),
    (78, "Employment activities", "Vermittlung und Überlassung von Arbeitskräften"),
    (
        79,
        "Travel agency, tour operator and reservation services",
        "Reisebüros, Reiseveranstalter und Erbringung sonstiger Reservierungsdienstleistungen",
    ),
    (80, "Security and investigation activities", "Wach- und Sicherheitsdienste sowie Detekteien"),
    (81, "Services to buildings and landscape activities", "Gebäudebetreuung; Garten- und Landschaftsbau"),
    (
        82,
        "Office administrative and other business support activities",
        "Wirtschaftliche Dienstleistungen für Unternehmen und Privatpersonen a. n. g.",
    ),
    (
        84,
        "Public administration and defence; compulsory social security",
        "Öffentliche Verwaltung, Verteidigung; Sozialversicherung",
    ),
    (85, "Education", "Erziehung und Unterricht"),
    (86, "Human health activities", "Gesundheitswesen"),
    (87, "Residential care activities", "Heime (ohne Erholungs- und Ferienheime)"),
    (88, "Social work activities without accommodation", "Sozialwesen (ohne Heime)"),
    (
        90,
        "Creative, arts and entertainment activities",
        "Kreative, künstlerische und unterhaltende Tätigkeiten",
    ),
    (
        91,
        "Libraries, archives, museums and other cultural activities",
        "Bibliotheken, Archive, Museen, botanische und zoologische Gärten",
    ),
    (92, "Gambling and betting activities", "Spiel-, Wett- und Lotteriewesen"),
    (
        93,
        "Sports activities and amusement and recreation activities",
        "Erbringung von Dienstleistungen des Sports, der Unterhaltung und der Erholung",
    ),
    (
        94,
        "Activities of membership organisations",
        "Interessenvertretungen sowie kirchliche und sonstige religiöse Vereinigungen",
    ),
    (
        95,
        "Repair of computers and personal and household goods",
        "Reparatur von Datenverarbeitungsgeräten und Gebrauchsgütern",
    ),
    (
        96,
        "Other personal service activities",
        "Erbringung von sonstigen überwiegend persönlichen Dienstleistungen",
    ),
    (97, "Activities of households as employers of domestic personnel", "Private Haushalte mit Hauspersonal"),
    (
        98,
        "Undifferentiated goods- and services-producing activities of private households for own use",
        "Herstellung von Waren und Erbringung von Dienstleistungen durch private Haushalte für den Eigenbedarf",
    ),
    (
        99,
        "Activities of extraterritorial organisations and bodies",
        "Exterritoriale Organisationen und Körperschaften",
    ),
)


def _section_of(number: int) -> str:
    for letter, first, last, _english, _german in _SECTIONS:
        if first <= number <= last:
            return letter
    raise ValueError(number)  # pragma: no cover - the tables above cover every division


SECTIONS: dict[str, Industry] = {
    letter: Industry(letter, letter, english, german) for letter, _f, _l, english, german in _SECTIONS
}
DIVISIONS: dict[str, Industry] = {
    f"{number:02d}": Industry(f"{number:02d}", _section_of(number), english, german)
    for number, english, german in _DIVISIONS
}
INDUSTRIES: dict[str, Industry] = {**SECTIONS, **DIVISIONS}


def industry(code: str) -> Industry | None:
    """The section or division ``code`` names; ``None`` for an empty or unknown code."""
    return INDUSTRIES.get(code.strip().upper()) if code else None


def section_codes(code: str) -> list[str]:
    """Every code in the section of ``code`` (the letter and its divisions), for "same section"."""
    found = industry(code)
    if found is None:
        return []
    return [found.section, *(item.code for item in DIVISIONS.values() if item.section == found.section)]


def industry_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a select: one group per section, the section itself first."""
    return [
        (
            section.label,
            [(section.code, section.label)]
            + [(item.code, item.label) for item in DIVISIONS.values() if item.section == section.code],
        )
        for section in SECTIONS.values()
    ]
