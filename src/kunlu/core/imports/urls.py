"""Import pages, included by core's urls under "imports/" (names in the "core" namespace)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from kunlu.core import menus
from kunlu.core.imports import datasets, views

menus.register(
    menus.MenuItem(
        label=_("Excel导入"),
        group=_("数据导入"),
        url_name="core:import_index",
        icon="file-earmark-arrow-up",
        order=800,
        allowed=lambda user: user.is_authenticated and bool(datasets.datasets_for(user)),
    )
)

urlpatterns = [
    path("", views.index, name="import_index"),
    path("batches/", views.batch_list, name="import_batches"),
    path("batches/<int:pk>/", views.batch_detail, name="import_batch"),
    path("batches/<int:pk>/commit/", views.batch_commit, name="import_commit"),
    path("<str:name>/", views.dataset_page, name="import_dataset"),
    path("<str:name>/template/", views.dataset_template, name="import_template"),
]
