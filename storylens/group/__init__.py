"""Articles into stories: term vectors, the story index and its window, the fitted merge
decision (stories.group), the optional sentence embeddings (embed), and the index filled from
stored rows (loading)."""
