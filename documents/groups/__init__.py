"""Reading groups: groups, memberships, invitation links, removals.

Above the archive, below annotations (docs/architecture.md, "Areas"): a group knows nothing of its
notes; hiding a group's note is ``documents.annotations.moderation``.
"""
