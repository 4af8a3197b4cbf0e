"""Demo organisations and users: one of every kind of user the platform serves, marked as demo data.

Enterprise names are fictional; their 统一社会信用代码 are synthetic with valid check digits.
"""

from __future__ import annotations

from stdnum.cn import uscc

from kunlu.accounts import services
from kunlu.accounts.models import Organisation, OrganisationKind, User
from kunlu.core.models import Territory

DEMO_PASSWORD = "Kunlu#Demo2025"  # noqa: S105  (printed by `make demo`; demo data only)


def demo_uscc(serial: int, division: str = "320583") -> str:
    """A synthetic 统一社会信用代码 (法人企业, given division) with a valid check digit."""
    body = f"91{division}MA{serial:07d}"[:17]
    return body + uscc.calc_check_digit(body)


# (key, name, kind, territory code, uscc serial or None)
ORGANISATIONS = [
    ("city-bureau", "昆山市发展和改革委员会（示例）", OrganisationKind.BUREAU, "320583", None),
    ("gx-econ", "高新区经济发展局（示例）", OrganisationKind.BUREAU, "KS-GX", None),
    ("gx-projects", "高新区重大项目办公室（示例）", OrganisationKind.BUREAU, "KS-GX", None),
    ("gx-invest", "高新区招商局（示例）", OrganisationKind.BUREAU, "KS-GX", None),
    ("gx-science", "高新区科技局（示例）", OrganisationKind.BUREAU, "KS-GX", None),
    ("gx-land", "高新区土地资源管理办公室（示例）", OrganisationKind.BUREAU, "KS-GX", None),
    ("gx-office", "高新区管委会办公室（示例）", OrganisationKind.BUREAU, "KS-GX", None),
    ("kf-econ", "开发区经济发展局（示例）", OrganisationKind.BUREAU, "KS-KF", None),
    ("ent-gx", "昆山示例精密机械有限公司", OrganisationKind.ENTERPRISE, "KS-GX-ZB", 1),
    ("ent-kf", "昆山示例光电科技有限公司", OrganisationKind.ENTERPRISE, "KS-KF-GL", 2),
    # The headquarters enterprises of 昆山高端装备总部产业园（示例）, with 昆山示例精密机械 above (S3 demo).
    ("hq-2", "昆山示例数控装备有限公司", OrganisationKind.ENTERPRISE, "KS-GX-ZB", 11),
    ("hq-3", "昆山示例智能机器人有限公司", OrganisationKind.ENTERPRISE, "KS-GX-ZB", 12),
    ("hq-4", "昆山示例精工传动有限公司", OrganisationKind.ENTERPRISE, "KS-GX-ZB", 13),
    ("hq-5", "昆山示例激光装备有限公司", OrganisationKind.ENTERPRISE, "KS-GX-ZB", 14),
    ("hq-6", "昆山示例液压科技有限公司", OrganisationKind.ENTERPRISE, "KS-GX-ZB", 15),
    ("hq-7", "昆山示例检测仪器有限公司", OrganisationKind.ENTERPRISE, "KS-GX-ZB", 16),
    ("hq-8", "昆山示例半导体设备有限公司", OrganisationKind.ENTERPRISE, "KS-GX-ZB", 17),
    ("solver", "示例理工大学智能制造团队", OrganisationKind.SOLVER, "320583", None),
    ("experts", "昆山市科技专家库（示例）", OrganisationKind.EXPERT_POOL, "320583", None),
]

# (username, full name, organisation key, [(role code, territory code)], superuser)
USERS = [
    ("admin", "系统管理员", None, [], True),
    ("analyst_city", "市级分析员（示例）", "city-bureau", [("analyst", "320583")], False),
    ("analyst_gx", "高新区分析员（示例）", "gx-econ", [("analyst", "KS-GX")], False),
    ("analyst_kf", "开发区分析员（示例）", "kf-econ", [("analyst", "KS-KF")], False),
    ("projects_gx", "项目办专员（示例）", "gx-projects", [("project_office", "KS-GX")], False),
    ("land_gx", "土地办专员（示例）", "gx-land", [("land_office", "KS-GX")], False),
    ("invest_gx", "招商专员（示例）", "gx-invest", [("investment", "KS-GX")], False),
    ("science_gx", "科技局专员（示例）", "gx-science", [("science", "KS-GX")], False),
    ("techmgr_gx", "技术经理人（示例）", "gx-science", [("tech_manager", "KS-GX")], False),
    ("leader_gx", "管委会领导（示例）", "gx-office", [("leader", "KS-GX")], False),
    ("ent_gx", "示例精密机械联系人", "ent-gx", [("enterprise", "KS-GX")], False),
    ("ent_kf", "示例光电科技联系人", "ent-kf", [("enterprise", "KS-KF")], False),
    ("solver", "示例理工大学团队负责人", "solver", [("solver", "320583")], False),
    ("expert", "评审专家（示例）", "experts", [("expert", "320583")], False),
]


def load() -> list[tuple[str, str, str]]:
    """Create the demo organisations, roles, users and grants that are missing."""
    services.roles_sync(actor=None)
    orgs: dict[str, Organisation] = {}
    for key, name, kind, territory_code, serial in ORGANISATIONS:
        territory = Territory.objects.get(code=territory_code)
        org = Organisation.objects.filter(name=name, territory=territory, kind=kind).first()
        if org is None:
            org = services.organisation_create(
                data={
                    "name": name,
                    "kind": kind,
                    "territory": territory,
                    "is_demo": True,
                    "uscc": demo_uscc(serial) if serial else "",
                },
                actor=None,
            )
        orgs[key] = org
    logins = []
    for username, full_name, org_key, grants, superuser in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.user_create(
                data={
                    "username": username,
                    "full_name": full_name,
                    "organisation": orgs.get(org_key or ""),
                    "is_superuser": superuser,
                    "is_staff": superuser,
                    "password": DEMO_PASSWORD,
                },
                actor=None,
            )
        for role_code, territory_code in grants:
            services.role_grant(
                user=user,
                role_code=role_code,
                territory=Territory.objects.get(code=territory_code),
                actor=None,
            )
        roles = "、".join(str(g.role) for g in user.grants.select_related("role")) or "系统管理员"
        where = user.organisation.name if user.organisation else ""
        logins.append((username, roles, where))
    return logins
