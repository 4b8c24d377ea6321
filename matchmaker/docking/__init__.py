"""Docking (对接): engagements from invitation to contract (stages, engagements), and what builds on them.

- stages: the statuses, reasons and the one rule of who may move an engagement where (pure).
- port: the repository the engagement service reads and writes through (graph-backed or a fake).
- engagements: the service (invite, move, correct_contract, get, search); rounds and plans call it.
- announce: who hears of an engagement's change (in-app notifications and e-mail), after the commit.
- plan: the batch plan (pure min-cost flow); plans: the service that feeds it and reports the rates.
"""
