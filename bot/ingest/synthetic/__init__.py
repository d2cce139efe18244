"""Synthetic FHIR R4 records of the merged Cà Mau province (Cà Mau and former Bạc Liêu).

`generate(out_dir, citizens, seed)` writes, deterministically for a seed and reference date:

- `facilities.json`: a `type: collection` Bundle of every facility (an Organization whose
  identifier is the 5-character insurance facility code, `FACILITY_CODE_SYSTEM`, 96xxx for the
  former Cà Mau and 95xxx for the former Bạc Liêu province, and its Location), every
  practitioner (Practitioner and PractitionerRole) and the insurance fund (Organization, payor).
  Their ids do not depend on the seed.
- `citizens-00001.ndjson`, `citizens-00002.ndjson`, ...: bulk-data style files of
  `chunk_size` citizens each (1000 by default). Each line is one `type: collection` Bundle
  holding one household: for every member a Patient, RelatedPersons (children under 14, one per
  guardian in the household), Coverage, blood-group Observation, AllergyIntolerance,
  problem-list Conditions, and per visit an Encounter with its diagnosis Condition,
  Observations, DiagnosticReports and MedicationRequests; Immunizations; Appointments.
  References inside a line are `urn:uuid:<id>`; references to the registry are
  `Organization/<id>`, `Location/<id>` and `Practitioner/<id>`. Households never straddle files.
- `manifest.json`: options, counts, identifier systems and extension URLs, and a few demo
  citizens (guardian, rich record, upcoming appointment, expiring and expired card, Khmer name)
  with the CCCD, phone and birth date to sign in with. Written last.

Conventions: names put the family name in `HumanName.family` and the middle and given names in
`given`; addresses put the street or hamlet in `line`, the commune or ward in `city` and in the
`EXT_ADDRESS_COMMUNE` extension, the former district in `district` and "Cà Mau" in `state`;
times are local with the +07:00 offset; only appointments (and card validity) lie after the
reference date. Constants are in `bot.ingest.synthetic.constants`.
"""

from bot.ingest.synthetic.generator import GenerationSummary, generate

__all__ = ["GenerationSummary", "generate"]
