"""Zweck's benchmark suite: data at scale, timed operations, raw-SQL floors, a peer CRM beside us.

Run it with ``bench/run`` (see ``bench/README.md``). Nothing here is imported by the product.
"""
