"""The commented example configuration ``pspn init`` writes (the PSPN's own rules)."""

from __future__ import annotations

__all__ = ["EXAMPLE_CONFIG"]

EXAMPLE_CONFIG = """\
# pspn.toml: configuration for a pspn hub.
# Secrets never go in this file: it names the environment variables that hold them.
# Reference: docs/configuration.md

[hub]
name = "Patient Safety Hub"
# Which forum the hub runs: "local" (embedded, no forum needed), "discourse" or "invision".
forum = "local"
# Where meetings happen: "local" (embedded: placeholder links; transcripts and chat
# as files) or "teams" (Microsoft Teams, with a [platforms.teams] table; see docs/teams.md).
# platform = "local"
# Where pspn keeps its database, relative to this file.
data_dir = "pspn-data"
# The encryption key for raw notes is read from this environment variable,
# or else from <data_dir>/pspn.key (`pspn keys init` creates it).
key_env = "PSPN_KEY"

# Settings for the Discourse adapter, used when hub.forum = "discourse":
# [adapters.discourse]
# base_url = "https://forum.example.org"
# api_username = "system"
# api_key_env = "PSPN_DISCOURSE_API_KEY"   # the NAME of the variable, not the key

[networks.pspn]
name = "Patient Safety Partners Network"
description = "Peer support for Patient Safety Partners working with NHS organisations in England."

# Where the network lives on the forum. For the local forum: its private group,
# the private area notes are published in, and the calendar meetings go in.
[networks.pspn.forum]
group = "psp-network"
notes_area = "PSPN meeting notes"
calendar = "PSPN meetings"

# Once a month on the second Tuesday, for an hour, alternating between a
# daytime and an early-evening slot, London time.
[networks.pspn.meetings]
frequency = "monthly"
week_of_month = 2
weekday = "tuesday"
slots = [
  { name = "daytime", start = "12:30" },
  { name = "evening", start = "18:30" },
]
slot_order = "alternate"
starts_on = "2026-01-01"
duration_minutes = 60
timezone = "Europe/London"
on_clash = "skip"            # or "next_week"
agenda_size = 3
location = "Online (Microsoft Teams)"

[networks.pspn.meetings.exclude]
bank_holidays = true         # bank holidays in England
months = [8]                 # no meeting in August
dates = []                   # e.g. ["2026-12-08"]

# Who may join, and what applicants are asked. These are the defaults; uncomment to change.
# [networks.pspn.membership]
# required = ["role", "organisation"]
# allowed_roles = ["Patient Safety Partner"]
# email_domains = []              # e.g. ["nhs.net"] to accept only those addresses
# organisations = "nhs-organisations.csv"   # a newer ODS extract; default: the bundled list

# Meeting notes are anonymised before anyone else sees them.
[networks.pspn.notes]
replacement = "label"        # "[name]"-style labels, or "pseudonym" for "Member A"
keep_raw_days = 0            # encrypted raw notes are deleted once published
"""
