"""Telling people what they owe: each clerk's digest (`remind`), mail, and the deadlines as iCalendar."""
