"""The reading groups' forms: a group's name and description, and an invitation link's lifetime."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from documents.groups import services as groups
from documents.groups.models import Group

"""The label of each order in ``DOCUMENT_SORTS``, as the list page offers them."""


class GroupForm(forms.Form):
    """A new reading group; the rules (lengths, a name that makes a slug) are ``documents.groups``'."""

    name = forms.CharField(
        max_length=Group.MAX_NAME_LENGTH,
        label="Group name",
        help_text="Shown to its members, and in the Visibility menu after “Group: ”.",
    )
    description = forms.CharField(
        required=False,
        max_length=groups.MAX_DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the group reads together; only its members see it.",
    )

    def __init__(self, *args, group: Group | None = None, **kwargs):
        """``group``: the group being renamed, whose name the help then quotes as the menu shows it."""
        super().__init__(*args, **kwargs)
        if group is not None:
            # Django's form templates print help text unescaped, so the name is escaped here.
            self.fields["name"].help_text = format_html(
                "Shown to its members, and in the Visibility menu as “Group: {}”.", group.name
            )

    def clean_name(self) -> str:
        try:
            return groups.check_name(self.cleaned_data["name"])
        except groups.GroupError as error:
            raise ValidationError(error.message) from None


class InvitationForm(forms.Form):
    lifetime = forms.ChoiceField(
        label="Link works",
        choices=[("", "Until revoked"), ("1", "For 1 day"), ("7", "For 7 days"), ("30", "For 30 days")],
        required=False,
    )

    def clean_lifetime(self):
        return groups.INVITATION_LIFETIMES[self.cleaned_data["lifetime"]]
