from django.urls import path
from django.utils.translation import gettext_lazy as _

from kunlu.core import menus
from kunlu.land import api, views

app_name = "land"

menus.register(
    menus.MenuItem(
        label=_("园区标准地概况"),
        group=views.GROUP,
        url_name="land:park",
        icon="buildings",
        order=605,
        allowed=views.follows_parks,
    )
)
menus.register(
    menus.MenuItem(
        label=_("闲置土地"),
        group=views.GROUP,
        url_name="land:idle",
        icon="hourglass-split",
        order=610,
        allowed=views.follows_parks,
    )
)

urlpatterns = [
    path("park/", views.park_page, name="park"),
    path("idle/", views.idle_page, name="idle"),
    path("parcel/<int:pk>/transition/", views.parcel_transition, name="transition"),
    path("parcel/<int:pk>/listing/", views.listing, name="listing"),
    path("parcel/<int:pk>/applications/", views.applications, name="applications"),
    path("parcel/<int:pk>/allocate/", views.allocate, name="allocate"),
    path("parcel/<int:pk>/commitments/", views.commitments, name="commitments"),
    path("parcel/<int:pk>/review/<slug:stage>/", views.review_new, name="review_new"),
]

crud_urlpatterns = [url for vs in views.DECLARED for url in vs.urls()]
api_routes = [(vs.api_route(), api.viewset_for(vs)) for vs in views.DECLARED]
