"""Importers that fill the health-record store from facility data (FHIR, XML 130, synthetic)."""
