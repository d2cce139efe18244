"""The append-only access log: who signed in, who looked at which part of whose record."""
