"""Pages of 亩均效益评价: rule sets and their versions (YAML), figures, runs with their distribution and
steps, each enterprise's result and trace, objections and their review, and the differential measures of a
final run with exports per department; plus the declared CRUD of every record."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kunlu.core import audit
from kunlu.core.excel import XLSX_CONTENT_TYPE, write_workbook
from kunlu.core.formatting import amount, round_half_up
from kunlu.core.permissions import allowed, has_model_permission, permitted_territories
from kunlu.core.viewsets import CrudViewSet, attach_errors, attachment_header
from kunlu.evaluation import selectors, services
from kunlu.evaluation.choices import Department, ObjectionStatus, RunStatus
from kunlu.evaluation.filtersets import (
    BandPolicyFilterSet,
    EnterpriseFigureFilterSet,
    EvaluationResultFilterSet,
    EvaluationRunFilterSet,
    ObjectionFilterSet,
    RuleSetFilterSet,
    RuleSetVersionFilterSet,
)
from kunlu.evaluation.forms import (
    AcceptForm,
    BandPolicyForm,
    EnterpriseFigureForm,
    ObjectionForm,
    RejectForm,
    RuleSetNewForm,
    RuleSetVersionForm,
    RunForm,
)
from kunlu.evaluation.models import (
    BandPolicy,
    EnterpriseFigure,
    EvaluationResult,
    EvaluationRun,
    Objection,
    ObjectionEvidence,
    RuleSet,
    RuleSetVersion,
)
from kunlu.evaluation.tables import (
    BandPolicyTable,
    EnterpriseFigureTable,
    EvaluationResultTable,
    EvaluationRunTable,
    ObjectionTable,
    RuleSetTable,
    RuleSetVersionTable,
)

GROUP = gettext_lazy("亩均效益评价")
RESULTS_SHOWN = 1000


# -- rule sets ---------------------------------------------------------------------------------------------


@login_required
def ruleset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A rule set with its versions, newest first; each version can be read, downloaded and used for a run."""
    ruleset = RuleSet.objects.get_for(request.user, "view", pk=pk)
    return render(
        request,
        "evaluation/ruleset_detail.html",
        {
            "ruleset": ruleset,
            "versions": ruleset.versions.select_related("created_by").order_by("-number"),
            "can_change": allowed(request.user, "change", ruleset),
        },
    )


@login_required
def ruleset_new(request: HttpRequest) -> HttpResponse:
    """Enter a rule set from YAML (typed or uploaded), validated with the engine's schema."""
    if not has_model_permission(request.user, RuleSet, "add"):
        raise Http404
    form = RuleSetNewForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.ruleset_create(
                yaml_text=form.cleaned_data["yaml_text"],
                scope_text=form.cleaned_data["scope_text"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已保存规则集：%(name)s") % {"name": version.ruleset.name})
            return redirect("evaluation_ruleset_detail", pk=version.ruleset_id)
    return render(request, "evaluation/ruleset_form.html", {"form": form, "ruleset": None})


@login_required
def ruleset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a rule set: the edited YAML is saved as its next version (earlier versions never change)."""
    ruleset = RuleSet.objects.get_for(request.user, "change", pk=pk)
    latest = ruleset.latest()
    initial = {}
    if latest is not None:
        bumped = re.sub(r"(?m)^version:\s*\d+", f"version: {latest.number + 1}", latest.yaml_text, count=1)
        initial = {"yaml_text": bumped}
    form = RuleSetVersionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.ruleset_version_add(
                ruleset=ruleset,
                yaml_text=form.cleaned_data["yaml_text"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已保存为第%(n)s版") % {"n": version.number})
            return redirect("evaluation_ruleset_detail", pk=ruleset.pk)
    return render(request, "evaluation/ruleset_form.html", {"form": form, "ruleset": ruleset})


@login_required
@require_POST
def ruleset_install(request: HttpRequest) -> HttpResponse:
    """Install the rule sets shipped with Kunlu (those already installed are left alone)."""
    if not has_model_permission(request.user, RuleSet, "add"):
        raise Http404
    added = services.ruleset_install_shipped(actor=request.user)
    if added:
        messages.success(request, _("已安装：%(list)s") % {"list": "、".join(added)})
    else:
        messages.info(request, _("内置规则集均已安装"))
    return redirect("evaluation_ruleset_list")


@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One version's YAML as entered, and the runs that used it."""
    version = RuleSetVersion.objects.select_related("ruleset", "created_by").get_for(
        request.user, "view", pk=pk
    )
    runs = EvaluationRun.objects.restrict(request.user, "view").filter(ruleset_version=version)
    return render(request, "evaluation/version_detail.html", {"version": version, "runs": runs})


@login_required
def version_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A version's YAML as a file."""
    version = RuleSetVersion.objects.select_related("ruleset").get_for(request.user, "view", pk=pk)
    response = HttpResponse(version.yaml_text, content_type="application/yaml; charset=utf-8")
    name = f"{version.ruleset.code}-v{version.number}.yaml"
    response["Content-Disposition"] = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    return response


# -- runs --------------------------------------------------------------------------------------------------


@login_required
def run_new(request: HttpRequest) -> HttpResponse:
    """Start an evaluation: rule-set version, year, territory, and the moment of the data (now unless
    chosen; never in the future)."""
    territories = permitted_territories(request.user, EvaluationRun, "add")
    if not territories.exists():
        raise Http404
    latest = RuleSetVersion.objects.order_by("-created_at").first()
    initial = {"ruleset_version": latest, "year": latest.year if latest else timezone.localdate().year - 1}
    form = RunForm(request.POST or None, territories=territories, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            run, job = services.run_start(
                ruleset_version=form.cleaned_data["ruleset_version"],
                year=form.cleaned_data["year"],
                territory=form.cleaned_data["territory"],
                title=form.cleaned_data["title"],
                as_of=form.cleaned_data["as_of"],
                actor=request.user,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            if job is not None:
                return redirect("core:job_detail", pk=job.pk)
            messages.success(request, _("已完成计算：%(run)s") % {"run": run})
            return redirect("evaluation_evaluationrun_detail", pk=run.pk)
    return render(request, "evaluation/run_form.html", {"form": form})


def _chart(run: EvaluationRun) -> dict[str, Any]:
    """The band distribution for the "bars" chart builder of static/kunlu/charts.js."""
    bands = selectors.band_distribution(run)
    return {
        "title": _("各等级企业数"),
        "categories": [band for band, _count in bands],
        "series": [{"name": _("企业数"), "data": [count for _band, count in bands]}],
    }


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A run: its steps, the distribution by band, the ranked list, those left out, and its objections."""
    user = request.user
    run = EvaluationRun.objects.select_related("ruleset_version__ruleset", "territory").get_for(
        user, "view", pk=pk
    )
    results = list(selectors.current_results(user=user, run=run)[:RESULTS_SHOWN])
    can_change = allowed(user, "change", run)
    return render(
        request,
        "evaluation/run_detail.html",
        {
            "run": run,
            "ranked": [r for r in results if r.evaluated],
            "excluded": [r for r in results if not r.evaluated],
            "chart": _chart(run),
            "objections": selectors.objection_queue(user).filter(run=run),
            "can_change": can_change and not run.is_locked,
            "actions": _run_actions(run) if can_change else [],
            "events": audit.events_for(run)[:50],
        },
    )


def _run_actions(run: EvaluationRun) -> list[tuple[str, str]]:
    if run.status == RunStatus.DRAFT:
        return [("recompute", _("重新计算")), ("publish", _("公示"))]
    if run.status == RunStatus.PUBLICITY:
        return [("close", _("结束公示，处理异议"))]
    if run.status == RunStatus.REVIEW:
        return [("recompute", _("重新计算")), ("finalize", _("终审并锁定"))]
    return []


RUN_ACTIONS = {
    "publish": services.run_publish,
    "close": services.run_close_publicity,
    "finalize": services.run_finalize,
    "recompute": services.run_recompute,
}
RUN_ACTION_DONE = {
    "publish": gettext_lazy("已公示：%(run)s"),
    "close": gettext_lazy("已结束公示：%(run)s"),
    "finalize": gettext_lazy("已终审：%(run)s"),
    "recompute": gettext_lazy("已重新计算：%(run)s"),
}


@login_required
@require_POST
def run_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Move a run a step on (publish, close publicity, finalize) or recompute it."""
    run = EvaluationRun.objects.get_for(request.user, "change", pk=pk)
    step = RUN_ACTIONS.get(action)
    if step is None:
        raise Http404
    try:
        done = step(run=run, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if action == "recompute" and done.computation == run.computation:
            # A large run is recomputed by the background job (see the jobs page for its progress).
            messages.info(request, _("已在后台重新计算：%(run)s") % {"run": run.title})
        else:
            messages.success(request, str(RUN_ACTION_DONE[action]) % {"run": run.title})
    return redirect("evaluation_evaluationrun_detail", pk=run.pk)


def _inputs_shown(inputs: dict[str, str | None]) -> list[tuple[str, str]]:
    """The figures a result was computed from, named and printed the house way (万元 by formatting)."""
    names = services.known_inputs()
    shown = []
    for code, text in inputs.items():
        name, unit, _flag = names.get(code, (code, "", False))
        if text is None:
            value = "—"
        elif unit == "万元":
            value = amount(Decimal(text), scale="万", digits=2)
        else:
            value = f"{Decimal(text).normalize():f} {unit}".strip()
        shown.append((name, value))
    return shown


@login_required
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An enterprise's result with its line-by-line trace (what the enterprise sees during 公示)."""
    user = request.user
    result = EvaluationResultViewSet.get_for(user, pk)
    run = result.run
    inputs = _inputs_shown(result.trace.get("inputs") or {})
    may_object = (
        run.status == RunStatus.PUBLICITY
        and has_model_permission(user, Objection, "add")
        and user.organisation_id == result.enterprise_id  # type: ignore[union-attr]
    )
    return render(
        request,
        "evaluation/result_detail.html",
        {
            "result": result,
            "run": run,
            "inputs": inputs,
            "objections": Objection.objects.restrict(user, "view").filter(
                result__run=run, enterprise=result.enterprise
            ),
            "objection_form": ObjectionForm() if may_object else None,
            "max_files": services.MAX_EVIDENCE_FILES,
        },
    )


FORM_ALLOWANCE_BYTES = 256 * 1024  # the objection's text and the multipart framing


def _upload_too_large(request: HttpRequest) -> bool:
    """Whether the declared size of the request exceeds what the evidence files and text may take."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > services.MAX_EVIDENCE_FILES * services.MAX_EVIDENCE_BYTES + FORM_ALLOWANCE_BYTES


@login_required
@require_POST
def objection_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The enterprise files an objection to its result, with evidence files."""
    user = request.user
    result = EvaluationResultViewSet.get_for(user, pk)
    if not has_model_permission(user, Objection, "add") or user.organisation_id != result.enterprise_id:  # type: ignore[union-attr]
        raise Http404
    if _upload_too_large(request):  # before request.POST / request.FILES read the body
        messages.error(
            request,
            _("提交的内容过大：证明材料最多%(n)s个文件，每个不超过%(mb)sMB，请压缩或删减后重新提交")
            % {"n": services.MAX_EVIDENCE_FILES, "mb": services.MAX_EVIDENCE_BYTES // (1024 * 1024)},
        )
        return redirect("evaluation_evaluationresult_detail", pk=result.pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return redirect("evaluation_evaluationresult_detail", pk=result.pk)
    try:
        objection = services.objection_file(
            result=result, text=form.cleaned_data["text"], files=request.FILES.getlist("evidence"), actor=user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("evaluation_evaluationresult_detail", pk=result.pk)
    messages.success(request, _("异议已提交"))
    return redirect("evaluation_objection_detail", pk=objection.pk)


# -- objections --------------------------------------------------------------------------------------------


def _current_figures(objection: Objection) -> dict[str, Any]:
    return dict(
        EnterpriseFigure.objects.filter(
            enterprise_id=objection.enterprise_id, year=objection.run.year, superseded_at__isnull=True
        ).values_list("input", "value")
    )


@login_required
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An objection with its evidence; the land office accepts it with adjusted figures or rejects it."""
    user = request.user
    objection = Objection.objects.select_related(
        "run", "result", "enterprise", "filed_by", "decided_by"
    ).get_for(user, "view", pk=pk)
    decidable = (
        objection.status == ObjectionStatus.PENDING
        and not objection.run.is_locked
        and allowed(user, "change", objection)
        and allowed(user, "change", objection.run)
    )
    current = _current_figures(objection) if decidable else {}
    return render(
        request,
        "evaluation/objection_detail.html",
        {
            "objection": objection,
            "evidence": ObjectionEvidence.objects.restrict(user, "view").filter(objection=objection),
            "accept_form": AcceptForm(current=current) if decidable else None,
            "reject_form": RejectForm() if decidable else None,
        },
    )


@login_required
@require_POST
def objection_decide(request: HttpRequest, pk: int, verdict: str) -> HttpResponse:
    """Accept (with adjusted figures, recomputing the run) or reject an objection."""
    user = request.user
    objection = Objection.objects.select_related("run").get_for(user, "change", pk=pk)
    if not allowed(user, "change", objection.run):
        raise Http404
    try:
        if verdict == "accept":
            current = _current_figures(objection)
            form = AcceptForm(request.POST, current=current)
            if not form.is_valid():
                raise ValidationError(" ".join(str(m) for errors in form.errors.values() for m in errors))
            services.objection_accept(
                objection=objection,
                adjustments=form.adjustments(current),
                decision=form.cleaned_data["decision"],
                actor=user,
            )
        elif verdict == "reject":
            services.objection_reject(
                objection=objection, decision=request.POST.get("decision", ""), actor=user
            )
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("异议已处理"))
    return redirect("evaluation_objection_detail", pk=objection.pk)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, only for those who may see its objection."""
    evidence = ObjectionEvidence.objects.get_for(request.user, "view", pk=pk)
    path = Path(settings.MEDIA_ROOT) / evidence.stored_file
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=evidence.file_name)


# -- differential policies ---------------------------------------------------------------------------------


@login_required
def run_policies(request: HttpRequest, pk: int) -> HttpResponse:
    """差别化政策清单: each enterprise of a final run with its band and the measures of the following year;
    exportable to Excel per department."""
    user = request.user
    run = EvaluationRun.objects.select_related("ruleset_version__ruleset").get_for(user, "view", pk=pk)
    if run.status != RunStatus.FINAL:
        raise Http404
    department = request.GET.get("department", "")
    if department and department not in Department.values:
        raise Http404
    rows = selectors.measures_by_enterprise(user=user, run=run, department=department)
    if request.GET.get("export") == "xlsx":
        return _policies_export(request, run, department, rows)
    return render(
        request,
        "evaluation/run_policies.html",
        {"run": run, "rows": rows, "department": department, "departments": Department.choices},
    )


def _policies_export(
    request: HttpRequest, run: EvaluationRun, department: str, rows: list[Any]
) -> HttpResponse:
    headers = [
        _("统一社会信用代码"),
        _("企业名称"),
        _("等级"),
        _("总分"),
        _("执行部门"),
        _("措施类别"),
        _("标准"),
        _("单位"),
        _("措施内容"),
        _("执行年度"),
    ]
    lines = []
    for row in rows:
        result = row.result
        total = round_half_up(result.total, 2) if result.total is not None else ""
        for policy in row.policies:
            lines.append(
                [
                    result.enterprise.uscc,
                    result.enterprise.name,
                    result.band,
                    total,
                    policy.get_department_display(),
                    policy.get_measure_display(),
                    policy.value,
                    policy.unit,
                    policy.description,
                    run.policy_year,
                ]
            )
    label = dict(Department.choices).get(department, _("全部部门"))
    content = write_workbook([(str(label), headers, lines)])
    audit.record(
        "evaluation.run.export_policies", obj=run, actor=request.user, data={"department": department}
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(f"差别化政策-{run.year}-{label}.xlsx")
    return response


# -- declared CRUD -----------------------------------------------------------------------------------------


def _replace(urls: list[URLPattern], replacements: dict[str, URLPattern]) -> list[URLPattern]:
    return [replacements.get(str(p.name), p) for p in urls]


class RuleSetViewSet(CrudViewSet):
    """Rule sets: added and edited as YAML (each edit a new version), never deleted once used."""

    model = RuleSet
    prefix = "evaluation/rulesets"
    filterset_class = RuleSetFilterSet
    table_class = RuleSetTable
    actions = frozenset({"add", "change"})
    export_fields = ["code", "name", "jurisdiction", "scope_text", "is_shipped"]
    menu_label = gettext_lazy("评价规则集")
    menu_group = GROUP
    menu_icon = "journal-code"
    menu_order = 500

    @classmethod
    def urls(cls) -> list[URLPattern]:
        p = cls.prefix
        return _replace(
            super().urls(),
            {
                cls.url_name("detail"): path(f"{p}/<int:pk>/", ruleset_detail, name=cls.url_name("detail")),
                cls.url_name("add"): path(f"{p}/add/", ruleset_new, name=cls.url_name("add")),
                cls.url_name("edit"): path(f"{p}/<int:pk>/edit/", ruleset_edit, name=cls.url_name("edit")),
            },
        )


class RuleSetVersionViewSet(CrudViewSet):
    """Rule-set versions: read-only records (a version is never changed)."""

    model = RuleSetVersion
    prefix = "evaluation/ruleset-versions"
    filterset_class = RuleSetVersionFilterSet
    table_class = RuleSetVersionTable
    actions = frozenset()
    export_fields = ["ruleset__code", "number", "year", "note", "created_by", "created_at"]
    api_fields = ["ruleset", "number", "year", "yaml_text", "note", "created_at"]

    @classmethod
    def urls(cls) -> list[URLPattern]:
        detail = path(f"{cls.prefix}/<int:pk>/", version_detail, name=cls.url_name("detail"))
        return _replace(super().urls(), {cls.url_name("detail"): detail})


class EnterpriseFigureViewSet(CrudViewSet):
    """Evaluation figures: entered by hand or imported, revised only by new versions, never deleted."""

    model = EnterpriseFigure
    prefix = "evaluation/figures"
    filterset_class = EnterpriseFigureFilterSet
    table_class = EnterpriseFigureTable
    form_class = EnterpriseFigureForm
    actions = frozenset({"add"})
    export_fields = [
        "enterprise__uscc",
        "enterprise__name",
        "year",
        "input",
        "value",
        "version",
        "recorded_at",
        "superseded_at",
        "recorded_by",
        "source",
        "note",
    ]
    api_fields = [
        "enterprise",
        "year",
        "input",
        "value",
        "version",
        "recorded_at",
        "superseded_at",
        "source",
        "note",
    ]
    menu_label = gettext_lazy("评价基础数据")
    menu_group = GROUP
    menu_icon = "database"
    menu_order = 510
    create_service = staticmethod(services.figure_create)


class EvaluationRunViewSet(CrudViewSet):
    """Runs: started on the run form, moved on by their steps; the detail is the run's page."""

    model = EvaluationRun
    prefix = "evaluation/runs"
    filterset_class = EvaluationRunFilterSet
    table_class = EvaluationRunTable
    actions = frozenset({"add"})
    export_fields = [
        "title",
        "year",
        "territory__name",
        "ruleset_version",
        "status",
        "as_of",
        "computation",
        "evaluated_count",
        "excluded_count",
        "band_counts",
        "published_at",
        "finalized_at",
    ]
    api_fields = [
        "title",
        "year",
        "territory",
        "ruleset_version",
        "status",
        "as_of",
        "computation",
        "evaluated_count",
        "excluded_count",
        "band_counts",
        "benchmarks",
        "published_at",
        "finalized_at",
    ]
    menu_label = gettext_lazy("评价批次")
    menu_group = GROUP
    menu_icon = "calculator"
    menu_order = 520

    @classmethod
    def queryset(cls, user: Any, action: str = "view") -> models.QuerySet[Any]:
        """The runs with their rule set and territory joined (the list names both on every row)."""
        return super().queryset(user, action).select_related("ruleset_version__ruleset", "territory")

    @classmethod
    def urls(cls) -> list[URLPattern]:
        p = cls.prefix
        return _replace(
            super().urls(),
            {
                cls.url_name("detail"): path(f"{p}/<int:pk>/", run_detail, name=cls.url_name("detail")),
                cls.url_name("add"): path(f"{p}/add/", run_new, name=cls.url_name("add")),
            },
        )


class EvaluationResultViewSet(CrudViewSet):
    """Results of each run's latest computation; an enterprise sees its own once the run is published."""

    model = EvaluationResult
    prefix = "evaluation/results"
    filterset_class = EvaluationResultFilterSet
    table_class = EvaluationResultTable
    actions = frozenset()
    export_fields = [
        "enterprise__uscc",
        "enterprise__name",
        "run",
        "evaluated",
        "indicator_points",
        "bonus_points",
        "deduction_points",
        "total",
        "rank",
        "graded_count",
        "band",
        "band_reason",
        "exclusion_message",
    ]
    api_fields = [
        "run",
        "computation",
        "enterprise",
        "evaluated",
        "track",
        "ranking_group",
        "indicator_points",
        "bonus_points",
        "deduction_points",
        "total",
        "rank",
        "graded_count",
        "score_band",
        "band",
        "band_basis",
        "band_reason",
        "exclusion_reason",
        "exclusion_message",
        "trace",
    ]
    menu_label = gettext_lazy("评价结果")
    menu_group = GROUP
    menu_icon = "award"
    menu_order = 530

    @classmethod
    def queryset(cls, user: Any, action: str = "view") -> QuerySet[Any]:
        return EvaluationResult.objects.restrict(user, action).filter(computation=F("run__computation"))

    @classmethod
    def get_for(cls, user: Any, pk: Any, action: str = "view") -> Any:
        found = (
            cls.queryset(user, action)
            .select_related("run__ruleset_version__ruleset", "enterprise")
            .filter(pk=pk)
        )
        result = found.first()
        if result is None:
            raise Http404
        return result

    @classmethod
    def urls(cls) -> list[URLPattern]:
        detail = path(f"{cls.prefix}/<int:pk>/", result_detail, name=cls.url_name("detail"))
        return _replace(super().urls(), {cls.url_name("detail"): detail})


class ObjectionViewSet(CrudViewSet):
    """The objections queue: filed from the result page, decided on the objection's page."""

    model = Objection
    prefix = "evaluation/objections"
    filterset_class = ObjectionFilterSet
    table_class = ObjectionTable
    actions = frozenset()
    export_fields = [
        "enterprise__uscc",
        "enterprise__name",
        "run",
        "status",
        "text",
        "created_at",
        "decision",
    ]
    api_fields = ["result", "run", "enterprise", "text", "status", "decision", "decided_at", "created_at"]
    api_read_only_fields = ["run", "enterprise", "status", "decision", "decided_at", "created_at"]
    menu_label = gettext_lazy("异议处理")
    menu_group = GROUP
    menu_icon = "chat-square-text"
    menu_order = 540
    create_service = staticmethod(services.objection_create)

    @classmethod
    def urls(cls) -> list[URLPattern]:
        detail = path(f"{cls.prefix}/<int:pk>/", objection_detail, name=cls.url_name("detail"))
        return _replace(super().urls(), {cls.url_name("detail"): detail})


class BandPolicyViewSet(CrudViewSet):
    """Differential policies per band, as data; they apply the year after the evaluated year."""

    model = BandPolicy
    prefix = "evaluation/policies"
    filterset_class = BandPolicyFilterSet
    table_class = BandPolicyTable
    form_class = BandPolicyForm
    export_fields = [
        "band",
        "department",
        "measure",
        "value",
        "unit",
        "description",
        "legal_basis",
        "ruleset__code",
        "jurisdiction",
        "is_active",
    ]
    api_fields = [
        "ruleset",
        "jurisdiction",
        "band",
        "department",
        "measure",
        "value",
        "unit",
        "description",
        "legal_basis",
        "is_active",
    ]
    menu_label = gettext_lazy("差别化政策")
    menu_group = GROUP
    menu_icon = "sliders"
    menu_order = 550


DECLARED: list[type[CrudViewSet]] = [
    RuleSetViewSet,
    RuleSetVersionViewSet,
    EnterpriseFigureViewSet,
    EvaluationRunViewSet,
    EvaluationResultViewSet,
    ObjectionViewSet,
    BandPolicyViewSet,
]
