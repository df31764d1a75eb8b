"""The surveys app's URLs, one module per part so each part can be read on its own."""

from modig.surveys import questionnaire_urls, respond_urls, results_urls, round_urls

app_name = "surveys"

urlpatterns = [
    *respond_urls.urlpatterns,
    *questionnaire_urls.urlpatterns,
    *round_urls.urlpatterns,
    *results_urls.urlpatterns,
]
