"""Reading groups: groups, memberships, invitation links, removals.

Above the archive, below annotations (docs/architecture.md, "Areas"): it may use the archive.
Every change of who is in a group holds the group's row (``services.lock_group``). Who may read
a group's notes is ``AnnotationQuerySet.visible_to``, from the memberships written here; hiding a
group's note is ``documents.annotations.moderation``.
"""
