# models first: model/reports.py builds on models.Model, and models imports reports back at its end,
# so importing reports (or anything that uses it) first would find models half-initialised.
from . import models  # noqa: F401
