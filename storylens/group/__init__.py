"""Articles into stories: term vectors, the story index and its window, the fitted merge
decision (stories.group), and the optional sentence embeddings (embed)."""
