"""OAI-PMH 2.0 at ``/oai/``: how libraries and aggregators harvest the archive (docs/interoperability.md,
"Harvesting (OAI-PMH)").

``protocol`` reads a request's arguments (verbs, dates, identifiers, resumption tokens) and names
each error as the protocol does; ``records`` finds the records a request asks for, a page at a time,
in a fixed number of queries: published documents and the ``WithdrawnDocument`` tombstones of those
that left the published set; ``responses`` writes them as OAI-PMH XML with ``oai_dc``; ``views``
answers HTTP.

Written here rather than on pyoai's server or django-oai-pmh: django-oai-pmh keeps its own copy of
every record in its own tables, and its resumption tokens in the database; pyoai's server slices
whole result lists by offset (every page reads every record, and a record changed during a harvest
shifts the pages), its tokens are unsigned, and it writes neither ``completeListSize`` nor ``cursor``.
"""
