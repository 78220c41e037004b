"""District names in the site's languages, for `load_areas` and the migration that added them.

ISO 3166-2 names a subdivision once, in its own language (Azerbaijani: Laçın). iso-codes, which
pycountry ships, translates them in gettext catalogues (domain "iso3166-2"): Russian has every
Azerbaijani subdivision ("Лачинский район"); there is no English catalogue, because ISO's
English name is the local one. English exonyms (Lachin, Kalbajar) therefore come from the table
below, in the spelling the ministry's English statements use; any name stays editable in the
admin, and rerunning `load_areas` fills only names that are still empty.
"""

import gettext
from functools import cache

import pycountry

LANGUAGES = ("en", "az", "ru")

# English names where English has its own spelling (the ministry's, and the UN's); a
# subdivision not listed keeps its ISO name in English.
ENGLISH_NAMES = {
    "AZ-ABS": "Absheron",
    "AZ-AGA": "Agstafa",
    "AZ-AGC": "Aghjabadi",
    "AZ-AGM": "Aghdam",
    "AZ-AGS": "Agdash",
    "AZ-AGU": "Agsu",
    "AZ-BA": "Baku",
    "AZ-BAB": "Babek",
    "AZ-BAL": "Balakan",
    "AZ-BAR": "Barda",
    "AZ-BEY": "Beylagan",
    "AZ-BIL": "Bilasuvar",
    "AZ-CAB": "Jabrayil",
    "AZ-CAL": "Jalilabad",
    "AZ-CUL": "Julfa",
    "AZ-DAS": "Dashkasan",
    "AZ-FUZ": "Fuzuli",
    "AZ-GA": "Ganja",
    "AZ-GAD": "Gadabay",
    "AZ-GOY": "Goychay",
    "AZ-GYG": "Goygol",
    "AZ-HAC": "Hajigabul",
    "AZ-IMI": "Imishli",
    "AZ-ISM": "Ismayilli",
    "AZ-KAL": "Kalbajar",
    "AZ-KAN": "Kangarli",
    "AZ-KUR": "Kurdamir",
    "AZ-LA": "Lankaran (city)",
    "AZ-LAC": "Lachin",
    "AZ-LAN": "Lankaran",
    "AZ-MAS": "Masally",
    "AZ-MI": "Mingachevir",
    "AZ-NEF": "Neftchala",
    "AZ-NV": "Nakhchivan (city)",
    "AZ-NX": "Nakhchivan",
    "AZ-OGU": "Oghuz",
    "AZ-QAB": "Gabala",
    "AZ-QAX": "Gakh",
    "AZ-QAZ": "Gazakh",
    "AZ-QBA": "Guba",
    "AZ-QBI": "Gubadly",
    "AZ-QOB": "Gobustan",
    "AZ-QUS": "Gusar",
    "AZ-SA": "Shaki (city)",
    "AZ-SAD": "Sadarak",
    "AZ-SAH": "Shahbuz",
    "AZ-SAK": "Shaki",
    "AZ-SAR": "Sharur",
    "AZ-SAT": "Saatly",
    "AZ-SBN": "Shabran",
    "AZ-SIY": "Siyazan",
    "AZ-SKR": "Shamkir",
    "AZ-SM": "Sumgait",
    "AZ-SMI": "Shamakhi",
    "AZ-SR": "Shirvan",
    "AZ-SUS": "Shusha",
    "AZ-TAR": "Tartar",
    "AZ-UCA": "Ujar",
    "AZ-XA": "Khankendi",
    "AZ-XAC": "Khachmaz",
    "AZ-XCI": "Khojaly",
    "AZ-XIZ": "Khizi",
    "AZ-XVD": "Khojavend",
    "AZ-YAR": "Yardimli",
    "AZ-YE": "Yevlakh (city)",
    "AZ-YEV": "Yevlakh",
    "AZ-ZAN": "Zangilan",
    "AZ-ZAQ": "Zagatala",
    "AZ-ZAR": "Zardab",
}

# Where iso-codes' Russian is misspelt, or gives a city and its district one name.
RUSSIAN_NAMES = {
    "AZ-AGS": "Агдашский район",
    "AZ-XVD": "Ходжавендский район",
    "AZ-LA": "Ленкорань",
    "AZ-LAN": "Ленкоранский район",
    "AZ-SA": "Шеки",
    "AZ-YE": "Евлах",
}


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-2", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def names(code: str, iso_name: str) -> dict[str, str]:
    """A subdivision's name in each site language, from its code and ISO name."""
    return {
        "en": ENGLISH_NAMES.get(code, iso_name),
        "az": _catalogue("az").gettext(iso_name),
        "ru": RUSSIAN_NAMES.get(code) or _catalogue("ru").gettext(iso_name),
    }
