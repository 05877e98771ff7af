"""The HTTP screening service (``chrilink serve``)."""
