"""Training URLs: attendance pages (see urls.py)."""

urlpatterns: list = []
