"""Validation of a proposal, the duplicate check, the abuse limits and the moderation password."""

from __future__ import annotations

import pandas as pd
import pytest

from reseau_map.contrib import auth, form, limits
from reseau_map.contrib.proposal import MAX_LENGTHS, Proposal

GOOD = {"name": "La Forge", "type": "lieu_associe", "city": "Brest", "contact_email": "a@example.org",
        "source_text": "Je suis la responsable."}


def fake_locate(city: str, postcode: str):
    return {"brest": (48.39, -4.486, "Brest (Bretagne)")}.get(city.strip().lower())


def fake_suggest(city: str) -> list[str]:
    return ["Brest"] if city.lower().startswith("br") else []


def checked(**changes) -> form.Checked:
    return form.check({**GOOD, **changes}, fake_locate, fake_suggest)


@pytest.mark.parametrize(("changes", "field", "fragment"), [
    ({"name": ""}, "name", "Nom : obligatoire"),
    ({"name": "x" * (MAX_LENGTHS["name"] + 1)}, "name", "121 caractères, 120 au plus"),
    ({"type": "banque"}, "type", "choisissez parmi"),
    ({"city": "", "postcode": ""}, "city", "indiquez la commune ou le code postal"),
    ({"city": "Brset"}, "city", "Commune « Brset » introuvable hors ligne ; vouliez-vous dire : Brest ?"),
    ({"city": "", "postcode": "29200"}, "city", "le code postal seul ne suffit pas"),
    ({"postcode": "2920"}, "postcode", "cinq chiffres attendus"),
    ({"website": "javascript:alert(1)"}, "website", "doit commencer par http://, https:// ou www."),
    ({"website": "ftp://example.org"}, "website", "adresse invalide"),
    ({"website": "https://exa mple.org"}, "website", "adresse invalide"),
    ({"contact_email": "pas-un-email"}, "contact_email", "« pas-un-email » n'est pas une adresse valide"),
    ({"contact_email": "a@b"}, "contact_email", "n'est pas une adresse valide"),
    ({"contact_email": "a@b.fr<script>"}, "contact_email", "n'est pas une adresse valide"),
])
def test_each_bad_field_gets_a_french_message(changes, field, fragment):
    result = checked(**changes)
    assert not result.ok and result.proposal is None
    assert fragment in result.errors[field]


def test_a_good_proposal_is_located_at_its_commune():
    result = checked(website="www.forge.example.org", status="Ouvert")
    assert result.ok and result.warnings == {}
    p = result.proposal
    assert (p.lat, p.lon, p.precision) == (48.39, -4.486, "ville")
    assert (p.website, p.status, p.type) == ("https://www.forge.example.org", "ouvert", "lieu_associe")


def test_a_clicked_point_wins_over_the_commune_and_places_an_unknown_one():
    result = checked(city="Lieu-dit inconnu", lat="48.4", lon="-4.5")
    assert result.ok
    assert (result.proposal.lat, result.proposal.lon, result.proposal.precision) == (48.4, -4.5, "adresse")


def test_missing_source_and_email_are_warnings_not_errors():
    result = checked(source_text="", contact_email="")
    assert result.ok
    assert set(result.warnings) == {"source_text", "contact_email"}


def test_hostile_text_is_kept_as_text_without_bidi_controls():
    hostile = "<script>alert('x')</script> **gras** [lien](javascript:x) \u202eevil\u2066"
    result = checked(name=hostile, description="ligne 1\r\n\x00ligne 2")
    assert result.ok
    name = result.proposal.name
    assert "<script>alert('x')</script>" in name and "\u202e" not in name and "\u2066" not in name
    assert result.proposal.description == "ligne 1\nligne 2"
    shown = form.escape_markdown(name)
    assert "\\*\\*gras\\*\\*" in shown and "\\[lien\\]\\(javascript\\:x\\)" in shown


def test_the_real_gazetteer_locates_a_commune_and_suggests_for_a_typo():
    assert form.check(GOOD).proposal.lat == pytest.approx(48.39, abs=0.05)
    assert "Brest" in form.check({**GOOD, "city": "Brset"}).errors["city"]


KNOWN = pd.DataFrame([
    {"id": "cantine-brest", "name": "La Forge", "city": "Brest", "lat": 48.39, "lon": -4.486, "precision": "ville"},
    {"id": "labo", "name": "Le Labo de l'édition", "city": "Paris", "lat": 48.8600, "lon": 2.3500,
     "precision": "adresse"},
    {"id": "loin", "name": "Ailleurs", "city": "Paris", "lat": 48.8700, "lon": 2.3500, "precision": "adresse"},
    {"id": "centre", "name": "Centre de Paris", "city": "Paris", "lat": 48.8601, "lon": 2.3501, "precision": "ville"},
])


@pytest.mark.parametrize(("proposal", "expected"), [
    (Proposal(name="la forge", type="cantine", city="BREST"), {"cantine-brest": "même nom"}),
    (Proposal(name="Forge", type="cantine", city="Brest"), {"cantine-brest": "contient"}),
    (Proposal(name="La Forje", type="cantine", city="Brest"), {"cantine-brest": "nom proche"}),
    (Proposal(name="La Forge", type="cantine", city="Quimper"), {}),
    # 100 m from the Labo: any place within 200 m, whatever its name; a commune centre is no neighbour.
    (Proposal(name="Tout autre nom", type="autre", city="Paris", lat=48.8609, lon=2.3500, precision="adresse"),
     {"labo": "à 100 m"}),
    (Proposal(name="Tout autre nom", type="autre", city="Paris", lat=48.8609, lon=2.3500, precision="ville"), {}),
])
def test_duplicates_same_name_in_the_commune_or_within_200_m(proposal, expected):
    found = {d.id: d.message for d in form.duplicates(proposal, KNOWN)}
    assert set(found) == set(expected)
    for pid, fragment in expected.items():
        assert fragment in found[pid] and found[pid].startswith("Doublon possible")


def test_one_proposal_per_session_per_minute_and_the_honeypot():
    now = [100.0]
    limit = limits.SessionLimit(None, clock=lambda: now[0])
    assert limit.wait_s() == 0
    assert limit.record() == 100.0
    assert limits.SessionLimit(100.0, clock=lambda: now[0]).wait_s() == pytest.approx(60)  # what the session kept
    now[0] += 20
    assert limit.wait_s() == pytest.approx(40)
    assert "40 s" in limits.wait_message(limit.wait_s())
    now[0] += 40
    assert limit.wait_s() == 0
    assert limits.honeypot_tripped("http://spam.example") and not limits.honeypot_tripped("  ")


def test_password_hash_round_trip_and_access_modes():
    hashed = auth.hash_password("correct horse")
    assert hashed.startswith("scrypt$") and auth.verify_password("correct horse", hashed)
    assert not auth.verify_password("wrong", hashed) and not auth.verify_password("x", "not-a-hash")
    assert auth.access({}, {}).mode == auth.CLOSED
    assert auth.access({}, {auth.ENV_HASH: hashed}) == auth.Access(auth.PASSWORD, hashed)
    assert auth.access({auth.SECRET_HASH: hashed}, {}).password_hash == hashed
    login = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s"}}
    assert auth.access(login, {auth.ENV_HASH: hashed}).mode == auth.LOGIN
