"""Schema fuzzing of the API (scripts/fuzz_api.sh): settings and the fixture database."""
