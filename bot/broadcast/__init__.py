"""Staff notices and contact-tracing alerts: audiences, templates, outbox, sender."""
