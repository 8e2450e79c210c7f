"""Account pages under ``/accounts/``: Django's log-in, log-out and password views, sign-up, profile.

Django's admin ships templates under the usual ``registration/`` names and is
listed before this app in INSTALLED_APPS, so each view names its own template;
otherwise the password pages would quietly render in the admin's design.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from documents.accounts.views import accounts

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    # POST only (Django 5): a link or an image on another site cannot log a reader out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", accounts.signup, name="signup"),
    path("profile/", accounts.profile, name="profile"),
    path("profile/tokens/", accounts.token_create, name="token-create"),
    path("profile/tokens/<int:pk>/revoke/", accounts.token_revoke, name="token-revoke"),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(template_name="registration/change_password.html"),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/change_password_done.html"),
        name="password_change_done",
    ),
    path(
        "password_reset/",
        accounts.PasswordResetView.as_view(
            template_name="registration/reset_password.html",
        ),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/reset_password_sent.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(template_name="registration/reset_password_confirm.html"),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/reset_password_complete.html"
        ),
        name="password_reset_complete",
    ),
]
