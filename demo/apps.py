from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content for `make run` (command seed_demo): statements and the register's demo
    data together, so that neither app seeds the other. No models."""

    name = "demo"
    verbose_name = "Demo content"
