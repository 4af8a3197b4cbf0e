from django.urls import path

from kunlu.evaluation import api, views

app_name = "evaluation"

# Under /evaluation/, beside the declared pages (whose prefixes are plural: runs/, results/, objections/).
urlpatterns = [
    path("ruleset/install/", views.ruleset_install, name="ruleset_install"),
    path("version/<int:pk>/download/", views.version_download, name="version_download"),
    path("run/<int:pk>/policies/", views.run_policies, name="run_policies"),
    path("run/<int:pk>/step/<slug:action>/", views.run_action, name="run_action"),
    path("result/<int:pk>/objection/", views.objection_new, name="objection_new"),
    path("objection/<int:pk>/decide/<slug:verdict>/", views.objection_decide, name="objection_decide"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]

crud_urlpatterns = [url for vs in views.DECLARED for url in vs.urls()]
api_routes = api.routes
