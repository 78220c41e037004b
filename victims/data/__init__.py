"""Word lists for screening free text (victims/screening.py), one entry a line, `#` comments.

- first_names_az.txt, first_names_az_cyrl.txt, first_names_ru.txt, first_names_en.txt:
  common first names (several hundred per language);
- surnames_en.txt: common English surnames (Azerbaijani and Russian surnames are recognised by
  their endings: -ov, -yeva, -zadə, -ович…);
- name_like_words.txt: first names that are also ordinary words (Azad, Zəfər, Вера, Grace);
- places.txt: Azerbaijan's districts (from pycountry's ISO 3166-2:AZ subdivisions, the same
  source as victims.models.Area), villages from incident reports, countries and cities;
- organisations.txt and institution_words.txt: capitalised words that are not people.

Where they come from, and why by hand: the lists are written from general knowledge of
frequent names and place names, not copied from a data set. The two packages that offer
name data were measured (names-dataset 3.3.1 and natasha 1.6.0) and left out.
names-dataset is a 56 MB wheel whose lists (727,556 first names and 983,826 last names,
taken, by its own account, from the 2021 leak of 533 million Facebook accounts: not a source
for a ministry) take 1.9 GB of memory and 10 s to load, and it holds nearly every word as
someone's name. natasha (with pymorphy2, navec, slovnet, yargy: 152 MB
installed, 210 MB of memory) finds Russian names well but reads only Russian. Short lists of
the names that actually occur, checked by a person, miss fewer real cases than they cost in
false alarms, cost nothing at run time and work on the closed network with nothing to download.

Add a name or a place by adding a line; the spellings without Azerbaijani letters and the
Latin transliterations of Cyrillic names are made by the loader in screening.py.
"""

import functools
from pathlib import Path

DIRECTORY = Path(__file__).resolve().parent


@functools.cache
def read_words(filename: str) -> tuple[str, ...]:
    """The entries of one list, without comments and blank lines, in file order."""
    entries = []
    for line in (DIRECTORY / filename).read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            entries.append(entry)
    return tuple(entries)
