"""The accounts' forms: signing up, naming an API token, notification settings."""

from __future__ import annotations

import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError

from documents.accounts import reset_mail, tokens
from documents.accounts.models import NotificationSettings


class SignUpForm(UserCreationForm):
    """A new reader's account.

    The e-mail address is required because it is the only way back into an
    account whose password is forgotten, and it must not belong to another
    account: a reset link sent to a shared address would open both.
    """

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="For a link if you forget your password, and for notifications if you ask for them.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def validate_password_for_user(self, user, **kwargs):
        """Check the password's strength on the password field itself: Django puts what is wrong
        with it under the confirmation, which is only about the two fields matching."""
        super().validate_password_for_user(user, password_field_name="password1")  # noqa: S106 (a field name)

    def clean_email(self) -> str:
        email = self._meta.model.objects.normalize_email(self.cleaned_data["email"])
        if self._meta.model.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                "An account already uses this email address. If it is yours, reset its password instead.",
                code="duplicate_email",
            )
        return email


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=tokens.MAX_NAME_LENGTH,
        required=False,
        label="Token name",
        help_text="What the token is for, e.g. “export script on my laptop”.",
    )


class NotificationSettingsForm(forms.ModelForm):
    """The reader's choice of notifications by e-mail (docs/reading-and-annotating.md, "Notifications")."""

    class Meta:
        model = NotificationSettings
        fields = ("email",)


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's reset request, which also reaches an active account that has no password yet, and
    queues its mail rather than sending it in the request.

    An account restored from a bag has none (docs/preservation.md, "Handing over the archive"), and
    setting one is how its owner gets back in. Django leaves such accounts out for sites whose users
    sign in elsewhere; every account here signs in here.
    """

    def get_users(self, email):
        User = get_user_model()
        field = User.get_email_field_name()
        wanted = _comparable(email)
        users = User._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        return (user for user in users if _comparable(getattr(user, field)) == wanted)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        """Queue the mail instead of sending it here: the worker writes the link and sends it
        (``reset_mail``), so a slow or absent mail server never holds up the request."""
        reset_mail.deliver_password_reset.enqueue(
            user_id=context["user"].pk,
            email=to_email,
            domain=context["domain"],
            use_https=context["protocol"] == "https",
        )


def _comparable(email: str) -> str:
    """An address as Django's reset form compares it: NFKC, then case-folded."""
    return unicodedata.normalize("NFKC", email).casefold()
