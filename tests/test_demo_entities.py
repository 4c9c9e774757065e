"""Issue 17, acceptance 4: the demo's top entities on the stories page are typed right.

The kinds below are what the demo's invented texts mean (storylens/demo/README.md and the
articles): its towns are places, its people people, its companies, courts and groups
organisations. A top entity that is none of these (a product, a phrase) fails the test."""

from __future__ import annotations

from pathlib import Path

from storylens import Store
from storylens.read.views import story_list

MEANT = {
    # the Lowen River flood
    "pellham ford": "place",
    "marrowby": "place",
    "kessock junction": "place",
    "lowen river": "place",
    "fenella drummond": "person",
    "owen castellane": "person",
    # the Halden Water ruling
    "halden water company": "organisation",
    "brisvale ratepayers alliance": "organisation",
    "marren county superior court": "organisation",
    "brisvale": "place",
    "eleanor farrow-pike": "person",
    "wendell probst": "person",
    "patricia vell": "person",
    "samuel okafor-reyes": "person",
    # the Wyndleford fire
    "wyndleford": "place",
    "ind.": "place",
    "indiana": "place",
    "tollis county": "place",
    "hollin packaging": "organisation",
    "dale runyard": "person",
    "marcus oyelaran": "person",
    "trina malloy": "person",
    # the Brightwell recall
    "brightwell appliances": "organisation",
    "brightwell": "organisation",
    "corliss bay": "place",
    "canada": "place",
    "united states": "place",
    "martin oduya": "person",
    "leonie garrick": "person",
    "rhoda kimmel": "person",
    # the Kestrelton fire
    "vantrell polymers": "organisation",
    "kestrelton high school": "organisation",
    "kestrelton": "place",
    "cobb mill road": "place",
    "columbus": "place",
    "ohio": "place",
    "dana whitcombe": "person",
    "lorne abbey": "person",
    # the Portugal and Brazil talks
    "brazil": "place",
    "portugal": "place",
    "lisbon": "place",
    "madrid": "place",
    "brasília": "place",
    "atlantic": "place",
    "congress": "organisation",
    "heitor campelo": "person",
    "inês valadão": "person",
}


def test_demo_entities_top_entities_typed_right(demo_db: Path) -> None:
    with Store(demo_db) as store:
        stories = story_list(store, limit=50)["stories"]
    assert len(stories) == 6
    wrong = []
    for story in stories:
        assert story["top_entities"], story["title"]
        for entity in story["top_entities"]:
            meant = MEANT.get(entity["name"].lower(), "none of the three kinds")
            if entity["kind"] != meant:
                wrong.append((story["title"], entity["name"], entity["kind"], meant))
    assert not wrong, wrong


def test_demo_entities_datelines_named_as_the_articles_name_them(demo_db: Path) -> None:
    # "KESTRELTON, Ohio —", "WYNDLEFORD, Ind., July 22 (MW) —": the town in the usual case,
    # the state in full (the same entity as "Indiana"), the wire's credit no entity at all
    with Store(demo_db) as store:
        names = {e["name"] for s in story_list(store, limit=50)["stories"]
                 for e in s["top_entities"]}
        mentions = store.db.execute(
            "SELECT text, name, entity_id FROM entity_mentions").fetchall()
    assert not {n for n in names if n.isupper() and len(n) >= 4}, names
    assert "MW" not in {text for text, _, _ in mentions}
    assert "Ind." not in names
    by_text = {text: (name, entity) for text, name, entity in mentions}
    assert by_text["Ind."] == by_text["Indiana"]
    assert by_text["KESTRELTON"][0] == "Kestrelton"
