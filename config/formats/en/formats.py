"""Date and time formats for English pages, emails and the admin.

A time means little without its zone: people read this service from every U.S. time zone, and pages
show times in TIME_ZONE (America/New_York). So every format with a time ends with "T", the zone's
abbreviation ("Dec. 5, 2026, 9:30 a.m. EST"). Dates alone keep Django's formats.
"""

DATETIME_FORMAT = "N j, Y, P T"
SHORT_DATETIME_FORMAT = "m/d/Y P T"
TIME_FORMAT = "P T"
