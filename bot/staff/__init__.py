"""Health staff: roles, one-time invitations, binding to Telegram, revocation."""
