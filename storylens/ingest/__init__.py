"""Reading inputs into drafts: files and folders (sources), web archives (warc), and the
parsing of text, HTML, JSON Lines and feeds (parse), with the dates they carry (dates)."""
