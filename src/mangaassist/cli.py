"""`mangaassist …`: the command line. Each area owns its sub-commands; this module composes them.

Sub-command modules keep heavy imports (scikit-learn, scipy, servers) inside the
command functions so that `mangaassist --help` stays fast.
"""

from __future__ import annotations

import typer

from mangaassist import __version__
from mangaassist.api.commands import serve as chat_serve
from mangaassist.api.commands import token as chat_token
from mangaassist.evaluation.commands import eval_app
from mangaassist.experiments.commands import experiment_app
from mangaassist.experiments.drift_commands import drift_app
from mangaassist.guardrails.commands import guard_app
from mangaassist.nlu.commands import nlu_app
from mangaassist.retrieval.commands import ingest, recommend_app, retrieval_app
from mangaassist.store.commands import store_app
from mangaassist.storefront.commands import storefront_app

app = typer.Typer(
    name="mangaassist",
    help="MangaAssist: AI shopping assistant for a manga store, and its release machinery.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """MangaAssist command line."""


config_app = typer.Typer(help="Inspect configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")
app.add_typer(guard_app, name="guard")
app.add_typer(experiment_app, name="experiment")
app.add_typer(eval_app, name="eval")
app.add_typer(drift_app, name="drift")
app.add_typer(storefront_app, name="storefront")
app.add_typer(store_app, name="store")
app.add_typer(nlu_app, name="nlu")
app.add_typer(retrieval_app, name="retrieval")
app.add_typer(recommend_app, name="recommend")
app.command("ingest")(ingest)
app.command("serve")(chat_serve)
app.command("token")(chat_token)


@config_app.command("show")
def config_show() -> None:
    """Print the effective settings (env + TOML + defaults) as JSON."""
    from mangaassist.config import load_settings

    typer.echo(load_settings().model_dump_json(indent=2))


@config_app.command("docs")
def config_docs() -> None:
    """Print the Markdown reference of every setting (docs/configuration.md)."""
    from mangaassist.config_docs import render

    typer.echo(render(), nl=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
