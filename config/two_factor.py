"""Two factors for every staff account (django-otp): a password, then a code.

Outside DEBUG (TWO_FACTOR_REQUIRED), a staff member signed in with their password reaches
no admin page until the session is verified with a second factor:

* first sign-in: **enrol** — scan a QR code (drawn here, no external service) or type the
  key into an authenticator app, confirm with its current code; ten one-time backup codes
  are shown once;
* every later sign-in: **verify** — a code from the app, or one backup code (used up).

django-otp keeps the devices and throttles wrong codes (each failure doubles the wait). A
superuser resets a colleague who lost their phone by deleting the colleague's devices in
the admin (OTP_TOTP > TOTP devices, OTP_Static > Static devices): the colleague enrols again
at their next sign-in. Sign-in itself is guarded by django-axes (settings: AXES_*).
"""

import base64
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


class RequireTwoFactor:
    """Admin pages need a verified session; sends the unverified to verify or enrol."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.TWO_FACTOR_REQUIRED and request.path.startswith("/admin/"):
            user = getattr(request, "user", None)
            if (
                user is not None
                and user.is_authenticated
                and user.is_staff
                and not user.is_verified()
                and request.path not in _open_paths()
            ):
                target = "two_factor_verify" if _has_device(user) else "two_factor_enrol"
                return HttpResponseRedirect(
                    f"{reverse(target)}?next={quote(request.get_full_path())}"
                )
        return self.get_response(request)


def _open_paths() -> set[str]:
    return {
        reverse("two_factor_enrol"),
        reverse("two_factor_verify"),
        reverse("admin:logout"),
        reverse("admin:login"),
        reverse("admin:jsi18n"),
    }


def _has_device(user) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("admin:index")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        # Not inputmode=numeric: backup codes have letters.
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_code(self) -> str:
        """Spaces dropped and lower case: backup codes are shown in lower case, and typed
        from paper in any case."""
        return "".join(self.cleaned_data["code"].split()).lower()


def _context(request: HttpRequest, **extra) -> dict:
    return {**admin.site.each_context(request), "next": _next(request), **extra}


def _qr_svg(url: str) -> str:
    # With its own white background: on the admin's dark theme a transparent QR code is
    # black on near-black, which no phone can read.
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=8)
    return image.to_string(encoding="unicode")


@never_cache
@login_required(login_url="admin:login")
def enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in: add an authenticator app, confirm it with a code, get backup codes."""
    user = request.user
    if _has_device(user):
        return HttpResponseRedirect(f"{reverse('two_factor_verify')}?next={quote(_next(request))}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_backup_codes(user)
            otp_login(request, device)
            return render(
                request,
                "admin/two_factor/backup_codes.html",
                _context(request, title=_("Your backup codes"), codes=codes),
            )
        form.add_error(
            "code",
            _(
                "That code is not the one your app shows now. Check that the app's clock is "
                "right and type the six digits it shows. After a wrong code, wait a few "
                "seconds before the next try."
            ),
        )
    key = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "admin/two_factor/enrol.html",
        _context(
            request,
            title=_("Set up your second factor"),
            form=form,
            qr=mark_safe(_qr_svg(device.config_url)),  # noqa: S308 (drawn here from our own data)
            key=" ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        ),
    )


def _new_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _n in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@never_cache
@login_required(login_url="admin:login")
def verify(request: HttpRequest) -> HttpResponse:
    """Every later sign-in: a code from the app, or one backup code."""
    user = request.user
    if not _has_device(user):
        return HttpResponseRedirect(f"{reverse('two_factor_enrol')}?next={quote(_next(request))}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next(request))
        form.add_error(
            "code",
            _(
                "That code is not right, or was used already. Type the six digits your app "
                "shows now, or one of your backup codes. After several wrong codes you must "
                "wait a little longer before each try."
            ),
        )
    return render(
        request,
        "admin/two_factor/verify.html",
        _context(request, title=_("Enter your code"), form=form),
    )


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): 429, in the
    admin's layout, saying for how long."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(
        request,
        "admin/locked_out.html",
        _context(request, title=_("Sign-in locked"), cooloff_minutes=seconds // 60),
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


urlpatterns = [
    path("admin/two-factor/enrol/", enrol, name="two_factor_enrol"),
    path("admin/two-factor/verify/", verify, name="two_factor_verify"),
]
