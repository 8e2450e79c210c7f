"""The soak test, `make soak` (docs/performance.md, "Reading at scale"): hours of a working day in minutes.

`__main__` is the driver (a throwaway PostgreSQL database, Redis, two gunicorn
servers, locust, then the audit); `accounts` makes the people locust plays,
`locustfile` what they do, and `audit` checks afterwards, through the database
and the API, that every answered write was kept exactly once.
"""
