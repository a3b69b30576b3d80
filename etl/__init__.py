"""Extract, transform and load CBS wijk/buurt statistics and PDOK boundaries into the store.

Start at :mod:`etl.build` (the pipeline) and :mod:`etl.schema` (what the store holds).
"""
