"""The admin of accounts and sign-in attempts (django-axes)."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from documents.accounts import services as account_services
from documents.archive.models import is_curator

admin.site.unregister(AccessAttempt)
admin.site.unregister(get_user_model())


@admin.register(AccessAttempt)
class LoginAttemptAdmin(AccessAttemptAdmin):
    """django-axes' failed log-ins, for curators: deleting a locked row unlocks that user and address.

    Curators answer readers who locked themselves out, so they get this page without
    a permission of its own (the Curators group's are set by a migration; see docs/deployment.md, "Limits on
    abuse"). They may look and delete, never add or change.
    """

    def has_module_permission(self, request):
        return is_curator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_curator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_curator(request.user)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(get_user_model())
class AccountAdmin(UserAdmin):
    """Django's user admin, saving and deleting through the services.

    A username shows on every annotation its owner wrote, so renaming or
    deleting an account renders those documents' cached panels again
    (docs/performance.md, "Reading at scale").
    """

    def save_model(self, request, obj, form, change):
        account_services.save_account(obj)

    def delete_model(self, request, obj):
        account_services.delete_account(obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            account_services.delete_account(user)
