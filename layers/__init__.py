"""The problem-domain layers of Zicht op Wijken: pure functions on DataFrames, no I/O.

Start at :mod:`layers.indicators` (the registry: one frozen record per indicator), then
:mod:`layers.config` (every scoring parameter in one frozen object), :mod:`layers.scoring`
(percentiles, domain scores, the stacking count and the composite), :mod:`layers.aggregate`
(groups from summed numerators and denominators), :mod:`layers.focus` (the NPLV focus
areas) and :mod:`layers.export` (CSV and codebook for researchers; ``python -m layers
export`` is the command line). Imports go downward only: ``layers`` reads ``etl.schema``.
"""
