"""Security tests: every finding of the hostile-input review reproduced against real servers on loopback."""
