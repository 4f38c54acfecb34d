"""Choices several modules share (the vocabulary of government service, not any one module's)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rating(models.IntegerChoices):
    """好差评: five levels; 不满意 or worse asks for rectification (of a problem's handling, of an approval)."""

    VERY_SATISFIED = 5, _("Very satisfied (非常满意)")
    SATISFIED = 4, _("Satisfied (满意)")
    BASICALLY_SATISFIED = 3, _("Basically satisfied (基本满意)")
    DISSATISFIED = 2, _("Dissatisfied (不满意)")
    VERY_DISSATISFIED = 1, _("Very dissatisfied (非常不满意)")
