"""Settings come from environment variables, documented in docs/configuration.md."""

from sanyi.settings.base import *  # noqa: F403
