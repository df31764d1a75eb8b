"""Training URLs: imports pages (see urls.py)."""

urlpatterns: list = []
