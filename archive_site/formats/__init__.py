"""The archive's date and time formats, for the admin and the site alike (docs/curators.md, "Curators")."""
