"""Log-in, two-factor authentication, log-out and the access log."""

from base64 import b32encode
from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from modig.accounts import access
from modig.accounts.forms import EmailLoginForm, TokenForm
from modig.accounts.models import AccessLogEntry


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from django.conf import settings

        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.MODIG_OIDC_ENABLED
        return context


def _safe_next(request, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _backup_code_device(user, token: str):
    """The user's confirmed backup-code device (django-otp static tokens) that accepts token.

    Only asked once the user has a confirmed authenticator; a used code is deleted.
    """
    for device in StaticDevice.objects.devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def two_factor(request):
    """Set up TOTP on first use, then ask for a code at every log-in."""
    device = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).first()
    is_setup = device is None
    if is_setup:
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=request.user, name="Modig", confirmed=False
            )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        verified = device if device.verify_token(token) else None
        if verified is None and not is_setup:
            verified = _backup_code_device(request.user, token)
        if verified is not None:
            if is_setup:
                verified.confirmed = True
                verified.save(update_fields=["confirmed"])
            otp_login(request, verified)
            messages.success(request, _("You are signed in."))
            return redirect(_safe_next(request))
        form.add_error("token", _(
            "The code did not match. Codes change every 30 seconds: type the one shown now. "
            "If it keeps failing, check that your phone's clock is right."
        ))
    context = {"form": form, "is_setup": is_setup, "next": _safe_next(request)}
    if is_setup:
        secret = b32encode(device.bin_key).decode()
        label = quote(f"Modig:{request.user.email}")
        uri = f"otpauth://totp/{label}?secret={secret}&issuer=Modig&digits={device.digits}"
        context["secret"] = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
        context["qr_svg"] = segno.make(uri, error="m").svg_inline(
            scale=5, dark="#000", light="#fff", omitsize=False,
            title=_("QR code for your authenticator app"),
        )
    return render(request, "accounts/two_factor.html", context)


def access_log(request):
    """The programme office reads who opened or exported personal data."""
    if not access.can_read_access_log(request.user):
        raise PermissionDenied
    entries = AccessLogEntry.objects.select_related("person").order_by("-at")
    query = request.GET.get("q", "").strip()
    if query:
        entries = entries.filter(user_email__icontains=query)
    page = Paginator(entries, 50).get_page(request.GET.get("sida"))
    return render(request, "accounts/access_log.html", {"page": page, "q": query})


login_view = login_not_required(LoginView.as_view())
logout_view = auth_views.LogoutView.as_view()
password_reset = login_not_required(auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url="/konto/aterstall/skickat/",
))
password_reset_done = login_not_required(auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html",
))
password_reset_confirm = login_not_required(auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url="/konto/aterstall/klart/",
))
password_reset_complete = login_not_required(auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html",
))
