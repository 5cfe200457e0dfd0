"""Kestrel Electronics' shop logic, independent of Rasa."""
