"""What each app declares on its AppConfig for the site to assemble, read in the order of
INSTALLED_APPS. Every declaration is optional and names things by dotted path, so an app's
config imports nothing at load time:

- `api_router` and `api_prefix`: the ninja Router the API mounts, and where (`"/"` by default);
- `demo_data`: callables that load the app's demo data when it is missing and return a line to
  print (or an empty string); `agora seed` calls them with `force`, which asks for demo people
  even when accounts exist;
- `periodic_jobs`: callables that a long-running worker calls when it starts, each making sure
  the app's next scheduled work is queued and returning a line to print (or an empty string);
- `home_sections`: callables taking the request and returning a `core.sections.Section` (or
  None), shown on the home page in this order. A part must be the same for every visitor (the
  site renders the parts once per change and language, for everyone);
- `home_changes_with`: the models (as "app_label.Model") the app's home sections are made of;
  saving, deleting or moving one through its lifecycle renders the home page again.
"""

from collections.abc import Callable, Iterator

from django.apps import apps
from django.utils.module_loading import import_string

from agora.core.sections import Section


def _declared(name: str) -> Iterator[tuple[object, object]]:
    for config in apps.get_app_configs():
        value = getattr(config, name, None)
        if value:
            yield config, value


def _callables(name: str) -> list[Callable]:
    return [import_string(path) for _config, paths in _declared(name) for path in paths]


class Declarations:
    """Reads the declarations on demand, so that tests may swap an app's list."""

    def api_routers(self) -> list[tuple[str, object]]:
        return [
            (getattr(config, "api_prefix", "/"), import_string(path))
            for config, path in _declared("api_router")
        ]

    def demo_loaders(self) -> list[Callable[..., str]]:
        return _callables("demo_data")

    def periodic_jobs(self) -> list[Callable[[], str]]:
        return _callables("periodic_jobs")

    def home_sections(self) -> list[Callable[..., Section | None]]:
        return _callables("home_sections")

    def home_models(self) -> list[type]:
        return [
            apps.get_model(label)
            for _config, labels in _declared("home_changes_with")
            for label in labels
        ]


declared = Declarations()
