from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from jigai.api.api import api

urlpatterns = [
    path("", include("jigai.home.urls")),
    path("", include("jigai.core.urls")),
    path("projects/", include("jigai.registry.urls")),
    path("imports/", include("jigai.registry.import_urls")),
    path("accounts/", include("jigai.accounts.urls")),
    path("policy/", include("jigai.incentives.urls")),
    path("acceptance/", include("jigai.incentives.acceptance_urls")),
    path("applications/", include("jigai.incentives.application_urls")),
    path("dispatch/", include("jigai.dispatch.urls")),
    path("assessment/", include("jigai.assessment.urls")),
    path("attachments/", include("jigai.attachments.urls")),
    path("funds/", include("jigai.funds.urls")),
    path("finance/", include("jigai.finance.urls")),
    path("support/", include("jigai.support.urls")),
    path("jobs/", include("jigai.jobs.urls")),
    path("notices/", include("jigai.notices.urls")),
    path("champions/", include("jigai.champions.urls")),
    path("public/notices/", include("jigai.notices.public_urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
