"""Citizen identifiers typed into a chat: CCCD numbers, phone numbers, birth dates, and masking."""
