"""A test-only app for the worker-kill test: it declares a dataset that writes its rows slowly."""
