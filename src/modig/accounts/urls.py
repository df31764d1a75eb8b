from django.urls import path

from modig.accounts import views

app_name = "accounts"

urlpatterns = [
    path("konto/logga-in/", views.login_view, name="login"),
    path("konto/logga-ut/", views.logout_view, name="logout"),
    path("konto/tvastegsverifiering/", views.two_factor, name="two-factor"),
    path("konto/aterstall/", views.password_reset, name="password-reset"),
    path("konto/aterstall/skickat/", views.password_reset_done, name="password-reset-done"),
    path(
        "konto/aterstall/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("konto/aterstall/klart/", views.password_reset_complete, name="password-reset-complete"),
    path("atkomstlogg/", views.access_log, name="access-log"),
]
