"""The accounts' HTML views: sign-up, profile and tokens (``accounts``), notifications."""
