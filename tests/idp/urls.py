"""The test sign-in server's addresses."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from tests.idp import harness

urlpatterns = [
    path("cas/", include("cas_server.urls", namespace="cas_server")),
    path("openid/", include("oidc_provider.urls", namespace="oidc_provider")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("_harness/users", harness.users),
    path("_harness/cas-services", harness.cas_services),
    path("_harness/oidc-clients", harness.oidc_clients),
    path("_harness/expire-codes", harness.expire_codes),
]
