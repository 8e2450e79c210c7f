"""Account pages of our own: sign-up and the profile.

Logging in and out and the password pages are Django's views, wired in
``documents.accounts.urls``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from documents import paging
from documents.accounts import client_address, rate_limits, tokens
from documents.accounts.forms import PasswordResetForm, SignUpForm, TokenForm
from documents.accounts.models import ApiToken
from documents.accounts.tokens import issue_token, revoke_token
from documents.annotations.models import Annotation
from documents.annotations.tags import by_name
from documents.search import query as search

PROFILE_PAGE_SIZE = 20
REDIRECT_FIELD_NAME = "next"


def _safe_next(request) -> str:
    """The ``next`` address from the form or query string, or "" when it leads off this site."""
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    """Create an account, log its owner in and send them to ``next`` or their profile.

    With ``SIGNUP_OPEN`` off the page explains that accounts come from the
    curators and answers 404, for a form post as for a visit.
    """
    if not settings.SIGNUP_OPEN:
        return render(request, "registration/signup_closed.html", status=404)
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "profile")
    if request.method == "POST":
        form = SignUpForm(request.POST)
        retry_after = rate_limits.hit(rate_limits.SIGNUP, client_address.of_request(request))
        if retry_after is not None:
            return _refused(request, form, rate_limits.SIGNUP, retry_after, "registration/signup.html")
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {user.get_username()}. Your account is ready.")
            return redirect(next_url or "profile")
    else:
        form = SignUpForm()
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


def _refused(request, form, limit, retry_after: int, template_name: str, **context):
    """The form again, with what the person typed and why it was not sent, as a 429."""
    form.add_error(None, limit.message(retry_after))
    response = render(request, template_name, {"form": form, **context}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, limited per client address: each request may send an e-mail. It also
    reaches accounts without a password (``PasswordResetForm``)."""

    form_class = PasswordResetForm

    def post(self, request, *args, **kwargs):
        retry_after = rate_limits.hit(rate_limits.PASSWORD_RESET, client_address.of_request(request))
        if retry_after is None:
            return super().post(request, *args, **kwargs)
        form = self.get_form()
        return _refused(request, form, rate_limits.PASSWORD_RESET, retry_after, self.template_name, view=self)


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer: the log-in page saying why, until when, and what else to do.

    Axes calls this (AXES_LOCKOUT_CALLABLE) for the log-in and the admin's log-in
    alike. The lockout lasts AXES_COOLOFF_MINUTES from the latest failure, and a
    failure during the lockout is one more, so "now + cool-off" is when it ends.
    """
    cool_off = settings.AXES_COOLOFF_TIME
    retry_at = timezone.now() + cool_off
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    response = render(
        request,
        "registration/login.html",
        {
            "form": form,
            "next": _safe_next(request),
            "locked_out_until": retry_at,
            "locked_out_minutes": int(cool_off.total_seconds() // 60),
        },
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


@login_required
@require_safe
def profile(request):
    """The reader's account and their annotations, newest first, in a fixed number of queries.

    Annotations go through ``visible_to`` like every other list, so one on a
    document that has gone back to draft disappears here as it does everywhere.
    """
    annotations = (
        Annotation.objects.visible_to(request.user)
        .filter(author=request.user)
        .with_related()
        .select_related("root")
        .order_by("-created", "pk")
    )
    q, search_error = request.GET.get("q", ""), ""
    if q.strip():  # "my notes" (docs/search.md, "How search works")
        try:
            annotations = search.matching_annotations(q, user=request.user, annotations=annotations)
        except search.QueryError as error:
            search_error = str(error)
    page = Paginator(annotations, PROFILE_PAGE_SIZE).get_page(paging.whole_number(request.GET.get("page")))
    for annotation in page:
        annotation.tag_list = by_name(annotation.tags.all())
    active_tokens = ApiToken.objects.active().filter(user=request.user)
    return render(
        request,
        "documents/profile.html",
        {
            "page": page,
            "tokens": active_tokens,
            "token_form": TokenForm(),
            "q": q.strip(),
            "search_error": search_error,
        },
    )


@login_required
@require_POST
@never_cache
def token_create(request):
    """Create a personal API token and show its key this once; only a digest is kept."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, f"The token name is too long; use at most {tokens.MAX_NAME_LENGTH} characters."
        )
        return redirect("profile")
    token, key = issue_token(user=request.user, name=form.cleaned_data["name"])
    return render(request, "documents/token_created.html", {"token": token, "key": key})


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.active(), pk=pk, user=request.user)
    revoke_token(token)
    messages.success(
        request, f"The token {token.prefix}… is revoked; scripts using it can no longer sign in."
    )
    return redirect("profile")
