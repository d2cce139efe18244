"""All tables of the health-record store and of the chat side."""

from bot.db.models.chat import (
    AuditEntry,
    ConversationState,
    SignInAttempt,
    SignInLock,
    TelegramAccount,
)
from bot.db.models.clinical import (
    Allergy,
    Appointment,
    Condition,
    Coverage,
    DiagnosticReport,
    Diagnosis,
    Immunization,
    Medication,
    Observation,
    Visit,
    VisitService,
)
from bot.db.models.people import (
    Citizen,
    CitizenIdentifier,
    CitizenPhone,
    Facility,
    Guardianship,
    Practitioner,
)

__all__ = [
    "Allergy",
    "Appointment",
    "AuditEntry",
    "Citizen",
    "CitizenIdentifier",
    "CitizenPhone",
    "Condition",
    "ConversationState",
    "Coverage",
    "DiagnosticReport",
    "Diagnosis",
    "Facility",
    "Guardianship",
    "Immunization",
    "Medication",
    "Observation",
    "Practitioner",
    "SignInAttempt",
    "SignInLock",
    "TelegramAccount",
    "Visit",
    "VisitService",
]
