"""Settings for schema fuzzing: the test settings with rate limits out of the way.

The fuzzer sends thousands of requests a minute from one address; with the production
rates nearly all of them would be 429s and test nothing. Everything else (problem+json,
permissions, validation) is exactly as deployed.
"""

from sanyi.settings_test import *  # noqa: F403

REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(
        REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],  # noqa: F405
        "1000000/minute",
    ),
}
AXES_ENABLED = False  # wrong passwords to /auth/token/ must not lock the fuzzing account
DEBUG = False
