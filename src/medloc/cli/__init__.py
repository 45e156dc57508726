"""The `medloc` command: a thin layer over the library.

Library errors (`MedlocError`) become one clear line on stderr and exit code 2 here, at the edge.
Each area registers its commands in its own module, imported in `_register()`.
"""

from __future__ import annotations

import sys

import typer

from medloc.model import MedlocError

app = typer.Typer(
    name="medloc",
    help="Translate and quality-check medical articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    """Import the command modules; each adds its commands to `app`."""
    from medloc.cli import (
        catalog,  # noqa: F401
        core,  # noqa: F401
        glossary,  # noqa: F401
        qa,  # noqa: F401
        schedule,  # noqa: F401
    )


def main(argv: list[str] | None = None) -> int:
    from medloc.cli.stdout import native_output_to_stderr

    with native_output_to_stderr():  # stdout is for medloc's output (reports, JSON): see that module
        return _run(argv)


def _run(argv: list[str] | None) -> int:
    _register()
    try:
        # Without standalone mode click returns a command's exit code instead of calling sys.exit.
        code = app(args=argv, standalone_mode=False)
    except MedlocError as exc:
        typer.echo(f"medloc: error: {exc}", err=True)
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        typer.echo("medloc: aborted", err=True)
        return 130
    except Exception as exc:  # click usage errors come through here in non-standalone mode
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            return exc.exit_code
        raise
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
