"""The outlets of a story side by side: shared and exclusive facts and quote fidelity
(outlets), and events and voices counted once (tally)."""
