from kunlu.core.viewsets import api_viewset
from kunlu.enterprises import api, views

app_name = "enterprises"

urlpatterns: list[object] = []

crud_urlpatterns = [url for vs in views.DECLARED for url in vs.urls()]
api_routes = [
    (views.EnterpriseProfileViewSet.api_route(), api.EnterpriseApiViewSet),
    (views.IndustryViewSet.api_route(), api_viewset(views.IndustryViewSet)),
]
