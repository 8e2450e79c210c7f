"""Accounts: sign-up and the profile, API tokens and their authentication, notifications and their
mail, mentions, rate limits, who the client is.

The top area (docs/architecture.md, "Areas"): it may use every other.
"""
