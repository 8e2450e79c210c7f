"""English dates as the archive writes them everywhere: day before month, times on the 24-hour clock.

Django's own English formats write "6:09 p.m." in the admin; the site's pages name these formats
(``|date:"DATETIME_FORMAT"``), so the admin and the site read the same.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
