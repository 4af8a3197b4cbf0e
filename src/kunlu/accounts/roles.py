"""The default roles: permission sets by job, which every module extends with its own permissions.

Roles are data (the Role table, editable by an administrator); this module only holds the defaults that
`roles_sync` writes on setup, so that a fresh deployment has sensible ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

VIEW_BASE = ["core.view_territory", "accounts.view_organisation"]


@dataclass
class RoleDefault:
    code: str
    name: str | Promise
    description: str | Promise
    permissions: list[str] = field(default_factory=list)
    organisation_only: bool = False


DEFAULT_ROLES: dict[str, RoleDefault] = {
    r.code: r
    for r in [
        RoleDefault(
            "analyst",
            _("经发局分析员"),
            _("经济运行监测：指标、数据采集与审核、监测分析"),
            [
                *VIEW_BASE,
                "accounts.add_organisation",
                "accounts.change_organisation",
                "core.add_importbatch",
                "core.view_importbatch",
            ],
        ),
        RoleDefault("project_office", _("项目办"), _("重大项目推进、计划与实际投资、预警"), [*VIEW_BASE]),
        RoleDefault(
            "investment",
            _("招商局"),
            _("招商线索、签约与项目落地"),
            [*VIEW_BASE, "accounts.add_organisation", "accounts.change_organisation"],
        ),
        RoleDefault("science", _("科技局"), _("揭榜挂帅、人才与政策兑现"), [*VIEW_BASE]),
        RoleDefault("tech_manager", _("技术经理人"), _("攻关需求对接与撮合"), [*VIEW_BASE]),
        RoleDefault("leader", _("领导"), _("驾驶舱与报告，只读"), [*VIEW_BASE]),
        RoleDefault("land_office", _("土地办"), _("亩均评价、标准地与数据得地"), [*VIEW_BASE]),
        RoleDefault(
            "user_admin",
            _("账户管理员"),
            _("管理本地区机构、用户与授权"),
            [
                *VIEW_BASE,
                "accounts.add_organisation",
                "accounts.change_organisation",
                "accounts.delete_organisation",
                "accounts.view_user",
                "accounts.add_user",
                "accounts.change_user",
                "accounts.view_rolegrant",
                "accounts.add_rolegrant",
                "accounts.delete_rolegrant",
                "accounts.view_role",
            ],
        ),
        RoleDefault(
            "enterprise",
            _("企业用户"),
            _("填报本企业数据，查看本企业结果"),
            ["accounts.view_organisation", "accounts.change_organisation"],
            organisation_only=True,
        ),
        RoleDefault(
            "solver",
            _("揭榜方"),
            _("高校、院所、团队：浏览榜单、揭榜"),
            ["accounts.view_organisation"],
            organisation_only=True,
        ),
        RoleDefault(
            "expert",
            _("评审专家"),
            _("评审分配给本人的事项"),
            ["accounts.view_organisation"],
            organisation_only=True,
        ),
    ]
}


def extend(code: str, permissions: list[str]) -> None:
    """Let a module add its permissions to a default role (called from the module's AppConfig.ready)."""
    role = DEFAULT_ROLES[code]
    role.permissions.extend(p for p in permissions if p not in role.permissions)
