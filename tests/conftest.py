"""Every fixture lives in a module of its own under tests/fixtures, registered here for the whole tree."""

pytest_plugins = ["tests.fixtures.environment", "tests.fixtures.broker", "tests.integration.workers"]
