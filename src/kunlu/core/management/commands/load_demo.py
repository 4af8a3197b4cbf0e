"""Load the demo zone: every installed Kunlu app's `demo.load()`, in app order. Idempotent."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load the demo zone (idempotent: running it twice changes nothing) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        logins: list[tuple[str, str, str]] = []
        with transaction.atomic():
            for app in settings.INSTALLED_APPS:
                if app.startswith("kunlu.") and find_spec(f"{app}.demo"):
                    result = import_module(f"{app}.demo").load()
                    logins += result or []
        if options["verbosity"] > 0 and logins:
            from kunlu.accounts.demo import DEMO_PASSWORD

            self.stdout.write("\n昆路示例数据已就绪 · Kunlu demo ready: http://127.0.0.1:8000\n")
            self.stdout.write(
                f"示例账户（密码均为 {DEMO_PASSWORD}）· demo logins (password {DEMO_PASSWORD}):\n"
            )
            for username, role, where in logins:
                self.stdout.write(f"  {username:<16} {role}  {where}\n")
