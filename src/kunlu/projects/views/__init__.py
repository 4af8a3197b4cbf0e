"""Pages of S2: the declared CRUD, the lead and project pages, the pipeline, signings and major-project
dashboards, and the alerts."""

from kunlu.projects.views.crud import DECLARED

__all__ = ["DECLARED"]
