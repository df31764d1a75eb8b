"""Browser tests (Playwright + Chromium + axe-core); see conftest.py."""
