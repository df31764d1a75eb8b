"""Training pages, in Swedish paths under /utbildning/."""

app_name = "training"

urlpatterns: list = []
