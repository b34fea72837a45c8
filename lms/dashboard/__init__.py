"""The home page's figures for each role: plain functions over a session, returning dataclasses.

``trainee`` (where a trainee stands in each cohort), ``trainer`` (what waits for a trainer),
``coordinator`` (cohorts at a glance) and ``ledgers`` (the hours ledgers of many cohorts at
once). Each makes a fixed number of SQL statements, however many rows it reads.
"""
