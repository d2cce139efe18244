"""All tables of the health-record store and of the chat side."""

from bot.db.models.broadcast import (
    AlertResponse,
    Broadcast,
    BroadcastDelivery,
    BroadcastSender,
    StaffMember,
)
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
    FacilityIdentifier,
    Guardianship,
    Practitioner,
)
from bot.db.models.reminders import ReminderDelivery

__all__ = [
    "AlertResponse",
    "Allergy",
    "Appointment",
    "AuditEntry",
    "Broadcast",
    "BroadcastDelivery",
    "BroadcastSender",
    "Citizen",
    "CitizenIdentifier",
    "CitizenPhone",
    "Condition",
    "ConversationState",
    "Coverage",
    "Diagnosis",
    "DiagnosticReport",
    "Facility",
    "FacilityIdentifier",
    "Guardianship",
    "Immunization",
    "Medication",
    "Observation",
    "Practitioner",
    "ReminderDelivery",
    "SignInAttempt",
    "SignInLock",
    "StaffMember",
    "TelegramAccount",
    "Visit",
    "VisitService",
]
