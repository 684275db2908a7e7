"""Practice QA: the application factory. Each step of building the app is a named function."""

from pathlib import Path

from flask import Flask

from qa_app import config as config_module
from qa_app.web.jinja_env import App


def create_app(config: dict | None = None) -> Flask:
    app = App(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    configure(app, config)
    from qa_app.factory import (
        register_blueprints,
        register_cli,
        register_error_handlers,
        register_extensions,
        register_request_hooks,
        register_templating,
    )

    register_extensions(app)
    register_templating(app)
    register_request_hooks(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_cli(app)
    return app


def configure(app: Flask, overrides: dict | None) -> None:
    app.config.update(config_module.defaults(Path(app.instance_path)))
    if overrides:
        app.config.update(overrides)
