"""The peer CRM (BottleCRM, PyPI ``django-crm`` 1.35.0) as the benchmark runs it beside Zweck.

Its code runs only in its own virtual environment (``bench/peer/.venv``, made by
``bench/peer/setup``); this module drives it from outside: a database per data set
(copied from the migrated template, so its minutes-long first migrate happens once),
the same persons as Zweck's data set loaded through its own ORM (``load.py``), a
personal access token, and gunicorn on its own port.
"""
