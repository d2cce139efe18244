"""Consent, three-factor sign-in, throttling and sessions; no Telegram types in here.

Handlers build one `SignInService(SignInPolicy.from_settings(settings))` and call it inside
their unit of work; results are typed values (see `bot.signin.results`) to render.
"""

from bot.signin.consent import (
    ErasureReport,
    KeptRecord,
    has_consented,
    record_consent,
    withdraw_and_erase,
)
from bot.signin.policy import Clock, SignInPolicy
from bot.signin.results import (
    AccountRef,
    BirthdateRejected,
    ConsentRequired,
    ContactRefusal,
    ContactRefused,
    Flow,
    IdRejected,
    Locked,
    OutOfStep,
    Prompt,
    SignedIn,
    SignInFailed,
    Step,
)
from bot.signin.service import SignInService
from bot.signin.sessions import LinkState, current_link, logout

__all__ = [
    "AccountRef",
    "BirthdateRejected",
    "Clock",
    "ConsentRequired",
    "ContactRefusal",
    "ContactRefused",
    "ErasureReport",
    "Flow",
    "IdRejected",
    "KeptRecord",
    "LinkState",
    "Locked",
    "OutOfStep",
    "Prompt",
    "SignInFailed",
    "SignInPolicy",
    "SignInService",
    "SignedIn",
    "Step",
    "current_link",
    "has_consented",
    "logout",
    "record_consent",
    "withdraw_and_erase",
]
