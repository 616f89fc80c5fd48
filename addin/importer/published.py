"""What the final score of an imported row is when the table printed its own 得分.

Decision (SCORING.md §3.7 applied to imported tables): a printed 得分 that differs from the
rule score *and* comes with a 偏差原因 is the department's manual override — the same thing
the seed does for 产商品检验 (4 of 5, "100批次中有3个批次不合格") — so it becomes
``manual_score`` and the usual override rules (within [0, 分值], reason present, inside its
qualitative band) apply. Without a reason the rule score stands, and the checks report the
difference as an error: an unexplained deduction (or bonus) is exactly what a reviewer must
see. A printed 得分 equal to the rule score changes nothing.
"""

from __future__ import annotations

from dataclasses import replace

from udfs.model import Project
from udfs.profile import DEFAULT_PROFILE, RuleProfile
from udfs.scoring import rule_outcome


def adopt_published_scores(project: Project, profile: RuleProfile = DEFAULT_PROFILE) -> Project:
    """The project with explained printed scores turned into manual overrides."""
    rows = []
    for indicator in project.indicators:
        published = indicator.published_score
        if published is not None and indicator.manual_score is None and indicator.deviation_reason.strip() \
                and published != rule_outcome(indicator, profile).score:
            indicator = replace(indicator, manual_score=published)
        rows.append(indicator)
    return replace(project, indicators=tuple(rows))
