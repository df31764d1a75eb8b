"""Training URLs: grouping pages (see urls.py)."""

urlpatterns: list = []
