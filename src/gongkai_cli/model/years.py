"""The years the format holds: a constant only, so light callers (`deadline`) need no pydantic.

Every year of a date, a date-time or a period is inside FIRST_YEAR–LAST_YEAR: far enough either
way for any record, and near enough that every deadline, period and report computed from one
stays a date Python can hold.
"""

FIRST_YEAR, LAST_YEAR = 1900, 2999
