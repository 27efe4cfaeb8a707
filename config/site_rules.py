"""Load per-site extraction rules from `config/sites/*.yaml` (the only file reading in extraction).

AKHBAR_SITE_RULES_DIR points elsewhere (a mounted folder under compose); a worker notices an edited,
added or removed file at its next page and reads the folder again, so a corrected rule applies to the
next job (and to `akhbar failures retry`) without a rebuild or a restart.
"""

from __future__ import annotations

import logging
from pathlib import Path

from workers.core.errors import ConfigError
from workers.core.extract.site_rules import SiteRules, parse_site_rules

SITES_DIR = Path(__file__).with_name("sites")
log = logging.getLogger("akhbar.site_rules")


def load_site_rules(directory: str | Path = SITES_DIR) -> dict[str, SiteRules]:
    """Read every `<domain>.yaml` in directory into {domain: SiteRules}; a bad file raises ConfigError."""
    rules: dict[str, SiteRules] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        parsed = parse_site_rules(path.read_text(encoding="utf-8"), domain=path.stem.lower())
        rules[parsed.domain.removeprefix("www.")] = parsed
    return rules


def rules_fingerprint(directory: str | Path) -> tuple[tuple[str, int, int], ...]:
    """Each rule file's name, modification time and size: changes when any file is edited, added or removed."""
    found = []
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            stat = path.stat()
        except OSError:  # removed between the listing and the stat: the next look sees it gone
            continue
        found.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(found)


class SiteRulesDir:
    """The rules of one folder, read again when its files change; a broken edit keeps the last good rules
    (one error line per broken version), but a folder broken from the start raises ConfigError."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self._key = rules_fingerprint(self.directory)
        self._rules = load_site_rules(self.directory)

    def current(self) -> dict[str, SiteRules]:
        key = rules_fingerprint(self.directory)
        if key != self._key:
            self._key = key
            try:
                self._rules = load_site_rules(self.directory)
                log.info("site rules read again from %s: %d sites", self.directory, len(self._rules))
            except (ConfigError, OSError, UnicodeDecodeError) as exc:
                log.error("site rules in %s not applied, the previous ones stay: %s", self.directory,
                          getattr(exc, "message", exc))
        return self._rules
