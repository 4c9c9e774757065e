"""What the store holds, read for people and programs: story views and lists, the story
page, the report, and exports."""
