"""The `kunlu` command: demo, serve, worker, engine, manage (Django's manage.py under one entry point)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kunlu.config.settings")
    import django

    django.setup()


def manage(argv: list[str]) -> None:
    """Run a Django management command."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kunlu.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kunlu manage", *argv])


def demo(args: argparse.Namespace) -> None:
    """Migrate, load the demo zone (idempotent) and print the demo logins."""
    manage(["migrate", "--noinput", "-v", "0"])
    manage(["load_demo"])


def serve(args: argparse.Namespace) -> None:
    """Serve Kunlu with gunicorn; static files are collected and served by WhiteNoise (no CDN)."""
    manage(["collectstatic", "--noinput", "-v", "0"])
    from django.conf import settings
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "kunlu.config.wsgi:application",
        "--bind",
        args.bind,
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--timeout",
        "120",
        "--access-logfile",
        "-",
        # One control socket per data directory, so that two servers on one machine do not collide.
        "--control-socket",
        str(settings.DATA_DIR / "gunicorn.ctl"),
    ]
    run()


def worker(args: argparse.Namespace) -> None:
    """Run the background worker (django-tasks database backend)."""
    manage(["db_worker", "--queue-name", "*", "--interval", str(args.interval), "--no-reload"])


def engine_bulletin(args: argparse.Namespace) -> None:
    """Compute the city bulletin from Parquet facts (kunlu.engine: no Django, nothing set up beforehand)."""
    from kunlu.engine.cli import write_bulletin

    try:
        write_bulletin(
            data=args.data,
            year=args.year,
            month=args.month,
            out=args.out,
            engine=args.engine,
            master=args.master,
        )
    except (FileNotFoundError, ValueError) as error:
        sys.exit(f"kunlu engine bulletin: {error}")


def add_engine_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`kunlu engine bulletin --data DIR --year Y --month M --out FILE.parquet [--engine] [--master]`."""
    engine = sub.add_parser("engine", help="Django-free analytics engine")
    commands = engine.add_subparsers(dest="engine_command", required=True)
    p = commands.add_parser("bulletin", help="city bulletin from Parquet facts to one Parquet file")
    p.add_argument(
        "--data", required=True, help="directory (or URL, for Spark) of the five input Parquet files"
    )
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--month", type=int, required=True, choices=range(1, 13), metavar="M")
    p.add_argument("--out", type=Path, required=True, help="Parquet file to write")
    p.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    p.add_argument("--master", default=None, help="Spark master URL (default local[*])")
    p.set_defaults(func=engine_bulletin)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "manage":
        manage(argv[1:])
        return
    parser = argparse.ArgumentParser(prog="kunlu", description="昆路 Kunlu")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="migrate and load the demo zone").set_defaults(func=demo)
    p = sub.add_parser("serve", help="serve the web application")
    p.add_argument("--bind", default=os.environ.get("KUNLU_BIND", "127.0.0.1:8000"))
    p.add_argument("--workers", type=int, default=int(os.environ.get("KUNLU_WEB_WORKERS", "2")))
    p.add_argument("--threads", type=int, default=4)
    p.set_defaults(func=serve)
    p = sub.add_parser("worker", help="run the background worker")
    p.add_argument("--interval", type=float, default=1.0)
    p.set_defaults(func=worker)
    add_engine_parser(sub)
    sub.add_parser("manage", help="run a Django management command")
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
