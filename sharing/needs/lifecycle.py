"""A need's stages, pure: which step each stage allows and where it leads."""

from __future__ import annotations

import enum

from sharing.needs.models import NeedStatus


class NeedStep(enum.StrEnum):
    CLAIM = "claim"
    MEET = "meet"
    CONTRACT = "contract"
    CLOSE = "close"
    PUBLISH = "publish"


OPEN_STAGES = frozenset({NeedStatus.COLLECTED, NeedStatus.CLAIMED, NeedStatus.IN_TALKS})
# The funnel, in order: each need counts at every stage it has reached.
FUNNEL = (NeedStatus.COLLECTED, NeedStatus.CLAIMED, NeedStatus.IN_TALKS, NeedStatus.CONTRACTED)

# For each step: the stages that allow it and the stage it leads to (None: unchanged).
STEPS: dict[NeedStep, tuple[frozenset[NeedStatus], NeedStatus | None]] = {
    NeedStep.CLAIM: (frozenset({NeedStatus.COLLECTED}), NeedStatus.CLAIMED),
    NeedStep.MEET: (frozenset({NeedStatus.CLAIMED, NeedStatus.IN_TALKS}), NeedStatus.IN_TALKS),
    NeedStep.CONTRACT: (
        frozenset({NeedStatus.CLAIMED, NeedStatus.IN_TALKS}),
        NeedStatus.CONTRACTED,
    ),
    NeedStep.CLOSE: (OPEN_STAGES, NeedStatus.CLOSED),
    NeedStep.PUBLISH: (OPEN_STAGES, None),
}


class IllegalNeedStep(ValueError):
    """The need's stage does not allow the step."""


def after(step: NeedStep, current: NeedStatus) -> NeedStatus:
    """The stage after `step`, or IllegalNeedStep."""
    allowed, target = STEPS[step]
    if current not in allowed:
        raise IllegalNeedStep(f"cannot {step.value} a need that is {current.value}")
    return target or current
