"""Core: the spine every module stands on (territories, periods, scoping, audit, CRUD, imports, jobs)."""
