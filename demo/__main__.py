"""`python -m demo [PORT]`: serve the demo news site on 127.0.0.1 until Ctrl-C (demo/sources.yaml uses 8765)."""

from __future__ import annotations

import sys
import time

from demo.site import DemoSite

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8765
site = DemoSite(port=port).start()
print(f"demo site at {site.base}/ — RSS {site.base}/rss.xml, Atom {site.base}/atom.xml; Ctrl-C stops", flush=True)
try:
    while True:
        time.sleep(3600)
except KeyboardInterrupt:
    site.stop()
