"""The five-step self-rating scale, a label on every step, plus "don't know / not relevant".

Labels describe what the person can do, in plain Swedish (klarspråk), so each step means the
same to everyone whatever their reading level.
"""

from django.utils.translation import gettext_lazy as _

DONT_KNOW = 0

STEPS = [
    (1, _("I cannot do this")),
    (2, _("I can do this with help")),
    (3, _("I can do this on my own")),
    (4, _("I can do this confidently")),
    (5, _("I can do this and help others")),
]

CHOICES = [*STEPS, (DONT_KNOW, _("Don't know / not relevant for me"))]

VALUES = {value for value, _label in CHOICES}
