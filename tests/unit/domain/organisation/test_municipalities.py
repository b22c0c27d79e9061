"""The municipality table: 98 municipalities in 5 regions, and every way a file names one."""

from __future__ import annotations

import pytest

from streams.documents.reference import municipality_table
from streams.domain.organisation.municipalities import UnknownMunicipality

TABLE = municipality_table()

# Written from the official list (Danmarks Statistik / DAGI), not read from the data file.
BY_REGION = {
    "Region Hovedstaden": (
        "101 København, 147 Frederiksberg, 151 Ballerup, 153 Brøndby, 155 Dragør, 157 Gentofte, 159 Gladsaxe, "
        "161 Glostrup, 163 Herlev, 165 Albertslund, 167 Hvidovre, 169 Høje-Taastrup, 173 Lyngby-Taarbæk, "
        "175 Rødovre, 183 Ishøj, 185 Tårnby, 187 Vallensbæk, 190 Furesø, 201 Allerød, 210 Fredensborg, "
        "217 Helsingør, 219 Hillerød, 223 Hørsholm, 230 Rudersdal, 240 Egedal, 250 Frederikssund, 260 Halsnæs, "
        "270 Gribskov, 400 Bornholm"
    ),
    "Region Sjælland": (
        "253 Greve, 259 Køge, 265 Roskilde, 269 Solrød, 306 Odsherred, 316 Holbæk, 320 Faxe, 326 Kalundborg, "
        "329 Ringsted, 330 Slagelse, 336 Stevns, 340 Sorø, 350 Lejre, 360 Lolland, 370 Næstved, "
        "376 Guldborgsund, 390 Vordingborg"
    ),
    "Region Syddanmark": (
        "410 Middelfart, 420 Assens, 430 Faaborg-Midtfyn, 440 Kerteminde, 450 Nyborg, 461 Odense, 479 Svendborg, "
        "480 Nordfyns, 482 Langeland, 492 Ærø, 510 Haderslev, 530 Billund, 540 Sønderborg, 550 Tønder, "
        "561 Esbjerg, 563 Fanø, 573 Varde, 575 Vejen, 580 Aabenraa, 607 Fredericia, 621 Kolding, 630 Vejle"
    ),
    "Region Midtjylland": (
        "615 Horsens, 657 Herning, 661 Holstebro, 665 Lemvig, 671 Struer, 706 Syddjurs, 707 Norddjurs, "
        "710 Favrskov, 727 Odder, 730 Randers, 740 Silkeborg, 741 Samsø, 746 Skanderborg, 751 Aarhus, "
        "756 Ikast-Brande, 760 Ringkøbing-Skjern, 766 Hedensted, 779 Skive, 791 Viborg"
    ),
    "Region Nordjylland": (
        "773 Morsø, 787 Thisted, 810 Brønderslev, 813 Frederikshavn, 820 Vesthimmerlands, 825 Læsø, 840 Rebild, "
        "846 Mariagerfjord, 849 Jammerbugt, 851 Aalborg, 860 Hjørring"
    ),
}


def test_the_table_holds_the_98_municipalities_of_the_5_regions_with_their_official_numbers() -> None:
    expected = {(*part.split(" ", 1), region) for region, text in BY_REGION.items() for part in text.split(", ")}
    table = {(m.number, m.name, m.region.name) for m in TABLE.all()}
    assert (len(TABLE.all()), len(TABLE.regions)) == (98, 5)
    assert table == expected
    assert [m.number for m in TABLE.all()] == sorted(m.number for m in TABLE.all())
    assert {r.name: r.code for r in TABLE.regions} == {
        "Region Nordjylland": "1081",
        "Region Midtjylland": "1082",
        "Region Syddanmark": "1083",
        "Region Hovedstaden": "1084",
        "Region Sjælland": "1085",
    }


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("183", "183"),
        (" 0183 ", "183"),  # DAGI and CPR write four digits
        ("Ishøj", "183"),
        ("ISHØJ", "183"),
        ("ishøj kommune", "183"),
        ("Ishoej", "183"),
        ("Ishoj", "183"),
        ("IshÃ¸j", "183"),  # UTF-8 bytes read as Latin-1 somewhere upstream
        ("Københavns Kommune", "101"),  # genitive and "Kommune"
        ("Københavns", "101"),
        ("Bornholms Regionskommune", "400"),
        ("Nordfyns Kommune", "480"),
        ("Nordfyn", "480"),
        ("Vesthimmerland", "820"),
        ("Århus", "751"),
        ("Aarhus Kommune", "751"),
        ("Høje Taastrup", "169"),
        ("Høje-Tåstrup", "169"),
        ("HOEJE-TAASTRUP", "169"),
        ("Hoejetaastrup", "169"),
        ("Lyngby", "173"),
        ("Åbenrå", "580"),
        ("Ålborg", "851"),
        ("Frederiksværk-Hundested", "260"),
        ("Brønderslev-Dronninglund", "810"),
        ("Ærø", "492"),
        ("Kommune: Køge", "259"),
        ("183 Ishøj", "183"),
        ("259 - Køge", "259"),
        ("Ishøj (183)", "183"),
    ],
)
def test_a_municipality_is_found_by_number_or_by_any_name_a_file_uses(text: str, number: str) -> None:
    found = TABLE.resolve(text)
    assert found is not None and found.number == number


@pytest.mark.parametrize("text", ["", "  ", "Atlantis", "999", "18", "1830", "København K", "Køge (183)", "Kommune"])
def test_anything_else_names_no_municipality(text: str) -> None:
    assert TABLE.resolve(text) is None


def test_every_name_and_alias_resolves_to_its_own_municipality() -> None:
    for m in TABLE.all():
        for text in (m.name, m.name.upper(), f"{m.name} Kommune", m.number, "0" + m.number, *m.aliases):
            assert TABLE.resolve(text) == m, text


def test_numbers_give_names_and_labels() -> None:
    assert (TABLE.municipality("183").name, TABLE.municipality("183").label, TABLE.municipality("183").region.key) == (
        "Ishøj",
        "Ishøj (183)",
        "hovedstaden",
    )
    assert (TABLE.name_of("751"), TABLE.label_of("751"), TABLE.name_of("999"), TABLE.label_of("999")) == (
        "Aarhus",
        "Aarhus (751)",
        "kommune 999",
        "kommune 999",
    )
    with pytest.raises(UnknownMunicipality, match=r"^'999' is not one of Denmark's 98 municipality numbers"):
        TABLE.municipality("999")
