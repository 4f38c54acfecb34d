"""M3's panel rules are the shared review's (docs/0013): ``hitechzone.review.panels`` holds the one copy. This name
stays so that M3's code and tests keep reading ``panels.draw``, ``panels.CRITERIA`` … as before."""

from hitechzone.review.panels import *  # noqa: F403
