"""What an article says, one package per extractor with its word lists and data beside it:
the spaCy pipeline (nlp), quotes and reported speech with their speakers (attribution),
canonical entities with their gazetteer (entities) and PLOVER events with their lexicon and
dates (events). Word lists are read by wordlists.py; the parser's tags are in tags.py."""
