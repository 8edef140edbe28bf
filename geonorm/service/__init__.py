"""``geonorm serve``: a reconciliation service (W3C Reconciliation Service
API 0.2, the protocol OpenRefine speaks) and a look-up page (install with
``pip install 'geonorm[serve]'``).

- :mod:`~geonorm.service.protocol`: the API as functions of JSON values;
- :mod:`~geonorm.service.properties`: the data-extension properties;
- :mod:`~geonorm.service.suggest`: prefix search for the suggest services;
- :mod:`~geonorm.service.pages`: the HTML of previews and the look-up page;
- :mod:`~geonorm.service.app`: the Starlette application and :func:`run`.
"""

from __future__ import annotations

from .app import create_app, run

__all__ = ["create_app", "run"]
