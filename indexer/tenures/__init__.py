"""Who held which post, when: tenures derived from the releases.

- ``evidence``: whether a mention is evidence (former, future and acting holders), per release;
- ``rule``: the tenure rule (terms, strays, single-seat spans, acting holders), on evidence;
- ``table``: tenures of a whole index, stored with each generation (``tenures.json``);
- ``holders``: the ``holder_of`` facet built from them.
"""
