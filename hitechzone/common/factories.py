"""Moved: the factories live with the tests of the app whose models they build (this shim goes when every test
imports them from there)."""

from hitechzone.enterprises.tests.factories import *  # noqa: F403
from hitechzone.enterprises.tests.factories import __all__  # noqa: F401
