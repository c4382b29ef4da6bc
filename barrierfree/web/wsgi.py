"""The production WSGI entry: ``gunicorn 'barrierfree.web.wsgi:app'``.

The app is built from the environment's settings (:func:`.create_app`), then everything alive
after start-up (imported modules, engines, catalogs, compiled schemas: some 150,000 objects) is
moved out of the garbage collector's reach with :func:`gc.freeze`. Without it, each full
collection walks all of them while a request waits: measured at 190-220 ms a collection on a
loaded 2-core machine, the long tail of every API call. Those objects live as long as the
process anyway, so nothing collectable is kept: garbage is collected first.
"""

from __future__ import annotations

import gc

from barrierfree.web.app import create_app

app = create_app()
gc.collect()
gc.freeze()
