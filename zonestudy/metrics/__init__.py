"""Metric functions for development-zone (开发区) project pipelines and investment structure.

The functions are small and pure: they take scalars or pandas objects, validate them, and return
new objects. Nothing is read from disk and nothing is patched silently — invalid input (negative
counts, shares that do not sum to one, missing values, empty input) raises ``ValueError`` with a
message naming the offending values.

One module per family; every name is also available here (``zonestudy.metrics.hhi``):

=================  ===========================================================================
``rates``          cohort rates with intervals, flow ratios, plan attainment, numerator inference
``concentration``  average size, count/weighted tables, structure shares, HHI, entropy, Gini
``specialization`` similarity of structures (cosine, Krugman dissimilarity), location quotients
``units``          area units (m², 亩, ha, km²) and amounts per area
=================  ===========================================================================

Three kinds of "rate" are kept apart by name, because Chinese zone reporting uses the same word
(开工率, 投产率, …) for all three (metrics_spec §0): :func:`cohort_rate` (share of a cohort that
reached a stage, ≤ 1, with a binomial interval), :func:`flow_ratio` (events of one stage ÷ events
of the previous stage in the same period; may exceed 1) and :func:`plan_attainment` (actual ÷
planned target).

References
----------
``docs/metrics_spec.md`` (the project's metric specification), sections cited in each
function's docstring.
"""

from __future__ import annotations

from zonestudy.metrics import concentration, rates, specialization, units
from zonestudy.metrics.concentration import (
    SHARE_TOL,
    average_size,
    count_table,
    entropy,
    gini,
    hhi,
    structure_shares,
    weighted_table,
)
from zonestudy.metrics.rates import (
    CI_METHODS,
    DiffCI,
    cohort_numerator_candidates,
    cohort_rate,
    diff_ci,
    flow_ratio,
    infer_cohort_numerator,
    plan_attainment,
    proportion_ci,
    reproduces,
)
from zonestudy.metrics.specialization import location_quotient, similarity
from zonestudy.metrics.units import (
    AREA_UNITS,
    M2_PER_HA,
    M2_PER_KM2,
    M2_PER_MU,
    MU_PER_HA,
    AreaUnit,
    convert_area,
    per_area,
)

__all__ = [
    "concentration", "rates", "specialization", "units",
    "AREA_UNITS",
    "AreaUnit",
    "CI_METHODS",
    "DiffCI",
    "M2_PER_HA",
    "M2_PER_KM2",
    "M2_PER_MU",
    "MU_PER_HA",
    "SHARE_TOL",
    "average_size",
    "cohort_numerator_candidates",
    "cohort_rate",
    "convert_area",
    "count_table",
    "diff_ci",
    "entropy",
    "flow_ratio",
    "gini",
    "hhi",
    "infer_cohort_numerator",
    "location_quotient",
    "per_area",
    "plan_attainment",
    "proportion_ci",
    "reproduces",
    "similarity",
    "structure_shares",
    "weighted_table",
]
