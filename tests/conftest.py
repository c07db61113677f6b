"""Shared test settings: a non-interactive matplotlib backend and the project's data folders."""

import matplotlib

matplotlib.use("Agg")
