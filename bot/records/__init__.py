"""What citizens come for: their record, appointments, insurance card, family and reminders.

Queries return plain frozen dataclasses; nothing here imports Telegram or renders text.
"""
