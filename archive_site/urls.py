from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("documents.urls_accounts")),
    path("api/", include("documents.api.urls")),
    path("", include("documents.urls")),
]
