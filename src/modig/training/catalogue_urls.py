"""Training URLs: catalogue pages (see urls.py)."""

urlpatterns: list = []
