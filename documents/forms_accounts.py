"""The sign-up form: Django's user creation form with a required e-mail address."""

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError


class SignUpForm(UserCreationForm):
    """A new reader's account.

    The e-mail address is required because it is the only way back into an
    account whose password is forgotten, and it must not belong to another
    account: a reset link sent to a shared address would open both.
    """

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Used only to send you a link if you forget your password.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self._meta.model.objects.normalize_email(self.cleaned_data["email"])
        if self._meta.model.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                "An account already uses this email address. If it is yours, reset its password instead.",
                code="duplicate_email",
            )
        return email
