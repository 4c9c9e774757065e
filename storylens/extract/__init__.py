"""What an article says: the spaCy pipeline (nlp), quotes and reported speech with their
speakers (attribution), canonical entities (entities, gazetteer) and PLOVER events (events,
lexicon, when)."""
