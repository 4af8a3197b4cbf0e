"""Request guards: bodies bounded in size, and a session unused for SESSION_IDLE_SECONDS is ended."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

SESSION_KEY = "kunlu_last_seen"


class UploadLimitMiddleware:
    """Refuse a request body larger than one upload (KUNLU_UPLOAD_MAX_BYTES) plus its form fields.

    Django bounds form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams files of any size to disk, for
    anyone, as soon as something reads request.POST; this refuses them before the body is read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.KUNLU_UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            message = _("上传内容过大：每次上传不能超过 %(mb)s MB") % {
                "mb": round(settings.KUNLU_UPLOAD_MAX_BYTES / 1024 / 1024, 1)
            }
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Log the user out after a period without requests (30 minutes unless configured)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(SESSION_KEY)
            if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(request, _("长时间未操作，已自动退出，请重新登录"))
            else:
                request.session[SESSION_KEY] = now
        return self.get_response(request)
