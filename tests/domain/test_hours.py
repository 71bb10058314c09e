"""Opening hours in OpenStreetMap's format, said as a French week; anything else is left as written."""

import pytest

from reseau_map.domain.hours import french_week, is_hours_column

NB = "\u00a0"


@pytest.mark.parametrize("text, week", [
    ("Mo-Fr 09:00-18:00", "Du lundi au vendredi : 9 h – 18 h · Samedi et dimanche : fermé"),
    ("Mo-Fr 09:00-12:00,13:30-17:00; Sa 10:00-12:00",
     "Du lundi au vendredi : 9 h – 12 h et 13 h 30 – 17 h · Samedi : 10 h – 12 h · Dimanche : fermé"),
    ("We 14:00-18:00; Sa 10:00-17:00",
     "Lundi et mardi : fermé · Mercredi : 14 h – 18 h · Jeudi et vendredi : fermé · Samedi : 10 h – 17 h · "
     "Dimanche : fermé"),
    ("Mo-Su 08:00-20:00", "Tous les jours : 8 h – 20 h"),
    ("24/7", "Tous les jours : 24 h sur 24"),
    ("Mo-Sa 10:00-19:00; We off", "Lundi et mardi : 10 h – 19 h · Mercredi : fermé · Du jeudi au samedi : "
                                  "10 h – 19 h · Dimanche : fermé"),
])
def test_a_french_week(text, week):
    assert french_week(text).replace(NB, " ") == week


@pytest.mark.parametrize("text", ["Du lundi au vendredi, de 9 h à 18 h", "Sur rendez-vous", "", "Mo-Fr", "PH off",
                                  "Mo-Fr 9h-18h", "sunrise-sunset"])
def test_free_text_is_not_read(text):
    assert french_week(text) is None


def test_a_column_in_the_format():
    assert is_hours_column(["Mo-Fr 09:00-18:00", "", "Tu-Sa 10:00-12:00,14:00-19:00"])
    assert not is_hours_column(["Du lundi au vendredi", "Sur rendez-vous", "Mo-Fr 09:00-18:00"])
