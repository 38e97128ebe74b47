"""Moderation's pages: report something; the moderators' queue and an item's page where they
decide; a statement of reasons, where the person concerned may appeal; the public log; the
house rules."""

import json
from datetime import timedelta

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from agora.core.pagecache import PageCache
from agora.core.paging import page_by_moment, page_by_time
from agora.core.ratelimit import Rate, RateLimited, network_of
from agora.moderation import figures, forms, permissions, registry, services
from agora.moderation.models import (
    Action,
    Appeal,
    Decision,
    ItemState,
    ModeratedItem,
    Report,
)

PAGE_SIZE = 25

#: The public log's monthly figures: counted once per change, not on every view.
FIGURES = PageCache("moderation-figures")
FIGURES.watch(Decision, Report, Appeal)


def report(request, kind_name: str, object_id: int):
    """A notice about something: by a signed-in person, or by a visitor without an account
    (Article 16(1) asks that anyone can send one), who gives a name and an email, shows they
    are a person, and is limited per address range (`AGORA_VISITOR_REPORT_RATE`)."""
    kind = registry.kind(kind_name)
    content = kind.model.objects.filter(pk=object_id).first() if kind else None
    if content is None or not kind.visible_to(request.user, content):
        raise Http404
    back = request.GET.get("next") or request.POST.get("next") or kind.url(content)
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = kind.url(content)
    visitor = not request.user.is_authenticated
    form_class = forms.VisitorReportForm if visitor else forms.ReportForm
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k != "challenge"}
            try:
                if visitor:
                    _count_visitor_notice(request)
                services.report_content(content, by=request.user, **fields)
            except RateLimited as error:
                form.add_error(None, error.message)
            except services.ModerationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: your report was received. A moderator will decide, and you "
                        "will be told the outcome."
                    ),
                )
                return redirect(back)
        status = 400
    return render(
        request,
        "moderation/report.html",
        {
            "form": form,
            "kind": kind,
            "excerpt": kind.excerpt(content),
            "back": back,
            "visitor": visitor,
        },
        status=status,
    )


def _count_visitor_notice(request) -> None:
    """Visitors' notices from one address range (IPv4 /24, IPv6 /48) per period."""
    rate = Rate.parse(settings.AGORA_VISITOR_REPORT_RATE)
    if rate is None:
        return
    try:
        network = network_of(get_adapter().get_client_ip(request))
    except PermissionDenied:
        return
    if not network:
        return
    wait = rate.hit("visitor-report", network)
    if wait is not None:
        raise RateLimited(wait)


def _moderator_only(request) -> None:
    if not permissions.can_moderate(request.user):
        raise Http404


def _in_scope(request, items):
    """A moderator scoped to processes or offices sees only their items."""
    condition = permissions.scope_filter(request.user)
    return items if condition is None else items.filter(condition)


@login_required
def queue(request, bulk_form=None):
    """What waits for a moderator (open items and appeals), the longest waiting first, paged
    by the first report's time."""
    _moderator_only(request)
    filters = forms.QueueFilterForm(request.GET or None, kinds=registry.kinds())
    items = _in_scope(request, ModeratedItem.objects.all()).filter(
        state__in=[ItemState.OPEN, ItemState.APPEALED]
    )
    if filters.is_valid():
        data = filters.cleaned_data
        if data["kind"]:
            items = items.filter(kind=data["kind"])
        if data["reason"]:
            items = items.filter(pk__in=Report.objects.filter(reason=data["reason"]).values("item"))
        if data["appealed"]:
            items = items.filter(state=ItemState.APPEALED)
        if data["min_score"] is not None:
            items = items.filter(score__gte=data["min_score"])
        if data["waited"]:
            since = timezone.now() - timedelta(days=data["waited"])
            items = items.filter(first_reported_at__lte=since)
    page = page_by_moment(
        items.select_related("author"),
        request.GET.get("after"),
        key="first_reported_at",
        size=PAGE_SIZE,
    )
    return render(
        request,
        "moderation/queue.html",
        {
            "items": page.items,
            "more": page.next_cursor,
            "filters": filters,
            "bulk_form": bulk_form or forms.BulkDecisionForm(),
        },
        status=400 if bulk_form is not None else 200,
    )


@login_required
@require_POST
def decide_many(request):
    """One decision, with one statement, on the chosen items of a wave; each is decided as if
    alone (an item meanwhile decided, or written by this moderator, is left and said)."""
    _moderator_only(request)
    chosen = _in_scope(request, ModeratedItem.objects.all()).filter(
        pk__in=[value for value in request.POST.getlist("items") if value.isdigit()][:200],
        state=ItemState.OPEN,
    )
    form = forms.BulkDecisionForm(request.POST)
    if not chosen:
        form.is_valid()
        form.add_error(None, _("Choose at least one item waiting for a decision."))
    elif form.is_valid():
        decided, left = 0, []
        for moderated in chosen:
            try:
                services.decide(moderated, by=request.user, **form.cleaned_data)
            except services.ModerationError as error:
                if error.code == "no_statement":
                    form.add_error(None, error.message)
                    break
                left.append(error.message)
            else:
                decided += 1
        if decided:
            messages.success(
                request,
                ngettext(
                    "Decided %(count)d item. The people concerned are told why.",
                    "Decided %(count)d items. The people concerned are told why.",
                    decided,
                )
                % {"count": decided},
            )
            for message in dict.fromkeys(left):
                messages.warning(request, message)
            return redirect("moderation:queue")
    return queue(request, bulk_form=form)


@login_required
def item(request, item_id: int):
    _moderator_only(request)
    moderated = get_object_or_404(
        _in_scope(request, ModeratedItem.objects.select_related("author")), pk=item_id
    )
    appeal = (
        Appeal.objects.filter(decision__item=moderated, answer__isnull=True)
        .select_related("decision", "appellant")
        .first()
    )
    form = forms.DecisionForm(request.POST or None, appeal=appeal is not None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if appeal is not None:
                    services.decide_appeal(appeal, by=request.user, **form.cleaned_data)
                else:
                    services.decide(moderated, by=request.user, **form.cleaned_data)
            except services.ModerationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Decided. The people concerned are told why."))
                return redirect("moderation:queue")
        status = 400
    reports = moderated.reports.select_related("reporter").order_by("created_at")[:100]
    decisions = moderated.decisions.select_related("moderator", "rule").order_by("created_at")
    return render(
        request,
        "moderation/item.html",
        {
            "item": moderated,
            "kind": registry.kind(moderated.kind),
            "reports": reports,
            "decisions": decisions,
            "appeal": appeal,
            "form": form,
            "may_decide": moderated.state != ItemState.DECIDED
            and request.user.pk != moderated.author_id,
        },
        status=status,
    )


@login_required
def decision(request, decision_id: int):
    """The statement of reasons, for the author, the reporters and moderators, with the way to
    appeal while it is open."""
    shown = get_object_or_404(
        Decision.objects.select_related("item", "rule", "reviews"), pk=decision_id
    )
    if not permissions.can_read_decision(request.user, shown):
        raise Http404
    may_appeal = shown.action != Action.AUTO_HIDE and services.may_appeal(shown, request.user)
    form = forms.AppealForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not may_appeal and shown.action != Action.AUTO_HIDE:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.appeal_decision(shown, by=request.user, **form.cleaned_data)
            except services.ModerationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Your appeal is received: a moderator who did not decide will review it."),
                )
                return redirect(shown.get_absolute_url())
        status = 400
    appealed = shown.appeals.filter(appellant=request.user).select_related("answer").first()
    return render(
        request,
        "moderation/decision.html",
        {
            "decision": shown,
            "is_author": shown.item.author_id == request.user.pk,
            "may_appeal": may_appeal and appealed is None,
            "appealed": appealed,
            "form": form,
            "appeal_days": services.appeal_days(),
            "appeal_until": shown.created_at + timedelta(days=services.appeal_days()),
        },
        status=status,
    )


def _monthly_figures() -> str:
    """The last twelve months and this one, read from the counts the services keep
    (`moderation.figures`): one query, whatever the months held."""
    now = timezone.localtime()
    this_month = now.date().replace(day=1)
    since = (now - timedelta(days=366)).date().replace(day=1)
    months: dict[str, dict] = {}
    for (month, figure, category), count in figures.stored(since, this_month).items():
        row = months.setdefault(
            f"{month:%Y-%m}", {"reports": {}, "actions": {}, "decided_after": {}}
        )
        if figure == "report":
            row["reports"][category] = count
        elif figure == "action":
            row["actions"][category] = count
        elif figure == "decided_after":
            row["decided_after"][category] = count
    for row in months.values():
        hours = figures.median_hours(row.pop("decided_after"))
        if hours is not None:
            row["median_hours"] = round(hours, 1)
    shown = {month: row for month, row in months.items() if row["reports"] or row["actions"]}
    return json.dumps(sorted(shown.items(), reverse=True))


#: The chart's drawing, in the SVG's own units: drawn one unit to a CSS pixel on a desktop and
#: scaled down a little to a phone's width. A row per month: its name, then two bars.
CHART_WIDTH = 320
CHART_ROW = 36
CHART_BARS_FROM = 72
CHART_LONGEST_BAR = 170


def _chart(figures: list[dict]) -> dict:
    """Bars of reports received and items restricted per month, newest month first as in the
    table, scaled to the busiest month; drawn by the template as an SVG."""
    top = max([1, *(row["reports"] for row in figures), *(row["restricted"] for row in figures)])
    months = []
    for index, row in enumerate(figures):
        y = index * CHART_ROW
        bars = []
        for offset, series in enumerate(("reports", "restricted")):
            length = round(row[series] / top * CHART_LONGEST_BAR, 1)
            bars.append(
                {
                    "series": series,
                    "value": row[series],
                    "y": y + 5 + offset * 14,
                    "length": length,
                    "value_x": CHART_BARS_FROM + length + 4,
                    "value_y": y + 16 + offset * 14,
                }
            )
        months.append({"month": row["month"], "label_y": y + 23, "bars": bars})
    return {
        "months": months,
        "width": CHART_WIDTH,
        "height": len(figures) * CHART_ROW,
        "bars_from": CHART_BARS_FROM,
    }


def log(request):
    """Every decision, newest first: the kind of item, the rule, the action, whether it was
    automated, the date; never the item's words, the author or the reporters. Above, the
    monthly figures as a table and a chart, counted once per change (`FIGURES`)."""
    page = page_by_time(
        Decision.objects.select_related("rule", "item").only(
            "pk", "action", "automated", "created_at", "law", "reviews_id", "item__kind", "rule"
        ),
        request.GET.get("before"),
        size=50,
    )
    labels = {kind.name: kind.label for kind in registry.kinds()}
    for shown in page.items:
        shown.kind_label = labels.get(shown.item.kind, shown.item.kind)
    months = json.loads(FIGURES.fragment(_monthly_figures))
    restricting = (Action.HIDE, Action.REMOVE, Action.WARN, Action.AUTO_HIDE)
    figures = [
        {
            "month": month,
            "reports": sum(row["reports"].values()),
            "restricted": sum(row["actions"].get(action, 0) for action in restricting),
            "dismissed": row["actions"].get(Action.DISMISS, 0),
            "upheld": row["actions"].get(Action.UPHOLD, 0),
            "median_hours": row.get("median_hours"),
        }
        for month, row in months
    ]
    return render(
        request,
        "moderation/log.html",
        {
            "decisions": page.items,
            "more": page.next_cursor,
            "figures": figures,
            "chart": _chart(figures) if figures else None,
        },
    )


def rules(request):
    """The house rules in force, numbered as decisions name them, with what happens when one is
    broken. The words around the rules are a template per language
    (`moderation/pages/house_rules.<language>.html`), so an authority can replace them."""
    from django.utils.translation import get_language

    language = "es" if (get_language() or "en").startswith("es") else "en"
    return render(
        request,
        "moderation/rules.html",
        {
            "rules": forms.current_rules(),
            "body_template": f"moderation/pages/house_rules.{language}.html",
        },
    )


@login_required
def standing(request):
    """A person's own standing: their trust level and what raises it, the limits it sets on
    what they write, and the moderation decisions about what they wrote."""
    from agora.moderation import limits, trust
    from agora.moderation.models import AccountLimit, Misuse, Suspension

    person = request.user
    level = trust.trust_level(person)
    decisions = (
        Decision.objects.filter(item__author=person)
        .select_related("item")
        .order_by("-created_at", "-id")[:20]
    )
    return render(
        request,
        "moderation/standing.html",
        {
            "level": level,
            "limits": limits.limits_for(level),
            "decisions": decisions,
            "suspension": Suspension.in_force().filter(person=person).first(),
            "account_limit": AccountLimit.in_force().filter(person=person).first(),
            "misuses": Misuse.objects.filter(person=person).order_by("-created_at")[:10],
        },
    )
