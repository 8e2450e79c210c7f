"""Reading groups' pages: my groups, a group's page with its moderators' controls, invitation links.

A group's page answers 404 to anyone who is not in the group, curators included,
and so does every control on it (docs/reading-and-annotating.md, "Groups"); the rules and their messages
are ``documents.groups``'. Notes are read through ``Annotation.objects.visible_to``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST

from documents.annotations import moderation
from documents.annotations import rules as annotation_rules
from documents.annotations.models import Annotation
from documents.annotations.tags import by_name
from documents.archive.models import Document
from documents.groups import services as groups
from documents.groups.forms import GroupForm, InvitationForm
from documents.groups.models import Group, Invitation, Membership

RECENT_NOTES = 30
NOT_FOUND = "No such group here, or you are not in it."


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def group_list(request):
    """The groups I am in, and a form to create one."""
    form = GroupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            group = groups.create_group(
                by=request.user, name=form.cleaned_data["name"], description=form.cleaned_data["description"]
            )
        except groups.GroupError as error:
            form.add_error(error.field or None, error.message)
        else:
            messages.success(
                request, f"“{group.name}” is created; you are its moderator. Invite people below."
            )
            return redirect(group)
    memberships = Membership.objects.filter(user=request.user).select_related("group").order_by("group__name")
    return render(
        request,
        "documents/group_list.html",
        {"memberships": memberships, "form": form},
        status=400 if form.errors else 200,
    )


def _mine(request, slug) -> tuple[Group, Membership]:
    try:
        return groups.group_of(request.user, slug)
    except Group.DoesNotExist:
        raise Http404(NOT_FOUND) from None


@login_required
@require_http_methods(["GET", "HEAD"])
def group_detail(request, slug):
    """Members with their roles, the documents with the group's notes and its recent notes; for a
    moderator, the invitation links and the controls."""
    group, membership = _mine(request, slug)
    notes = Annotation.objects.visible_to(request.user).filter(group=group)
    newest = notes.with_related().select_related("parent__author", "root").order_by("-created", "pk")
    recent = list(newest[:RECENT_NOTES])
    for annotation in recent:
        annotation.tag_list = by_name(annotation.tags.all())
    documents = Document.objects.filter(pk__in=notes.values("document")).defer("text").order_by("title")
    context = {
        "group": group,
        "membership": membership,
        "members": group.memberships.select_related("user").order_by("-role", "user__username"),
        "documents": documents,
        "recent": recent,
    }
    if membership.is_moderator:
        context["invitations"] = Invitation.objects.valid().filter(group=group)
        context["invitation_form"] = InvitationForm()
        context["group_form"] = GroupForm(
            initial={"name": group.name, "description": group.description}, group=group
        )
    return render(request, "documents/group_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def group_join(request, slug, token):
    """An invitation link: its group's name and a Join button (GET), joining (POST).

    An unknown link is a plain 404, saying nothing of the group; a link that exists
    but no longer works is a 410 page that says so.
    """
    try:
        invitation = groups.invitation(slug, token)
    except Invitation.DoesNotExist:
        raise Http404("This invitation link does not work.") from None
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        if not invitation.is_valid():
            return render(request, "documents/group_join_closed.html", status=410)
        return render(
            request, "documents/group_join.html", {"invitation": invitation, "group": invitation.group}
        )
    try:
        groups.check_invitation(invitation, request.user)
        if request.method == "POST":
            membership, created = groups.join_group(slug=slug, token=token, user=request.user)
            if created:
                messages.success(request, f"You joined “{membership.group.name}”.")
            return redirect(membership.group)
    except groups.InvitationClosed:
        if Membership.objects.filter(group=invitation.group, user=request.user).exists():
            return redirect(invitation.group)
        return render(request, "documents/group_join_closed.html", status=410)
    except Invitation.DoesNotExist:
        raise Http404("This invitation link does not work.") from None
    member = Membership.objects.filter(group=invitation.group, user=request.user).exists()
    return render(
        request,
        "documents/group_join.html",
        {"invitation": invitation, "group": invitation.group, "member": member},
    )


def _act(request, slug, action, success: str):
    """Run a moderator's or member's ``action(group)`` and go back to the group's page.

    A role the reader lacks, or a person or link not in the group, is a 404; a
    refusal the rules explain is shown on the page.
    """
    group, _ = _mine(request, slug)
    try:
        action(group)
    except (Membership.DoesNotExist, Invitation.DoesNotExist, Annotation.DoesNotExist, Group.DoesNotExist):
        raise Http404(NOT_FOUND) from None
    except (groups.GroupError, annotation_rules.AnnotationError) as error:
        messages.error(request, error.message)
        return redirect(group)
    if success:
        messages.success(request, success)
    return redirect(group)


def _person(pk):
    return get_object_or_404(get_user_model(), pk=pk)


@login_required
@require_POST
def group_invite(request, slug):
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how long the link works.")
        return redirect("group-detail", slug)
    lifetime = form.cleaned_data["lifetime"]
    return _act(
        request,
        slug,
        lambda group: groups.create_invitation(group=group, by=request.user, lifetime=lifetime),
        "A new invitation link is ready: copy it from the list of links.",
    )


@login_required
@require_POST
def group_change(request, slug):
    """A moderator renames the group or changes its description (``groups.change_group``)."""
    _mine(request, slug)
    form = GroupForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect("group-detail", slug)
    name, description = form.cleaned_data["name"], form.cleaned_data["description"]
    return _act(
        request,
        slug,
        lambda group: groups.change_group(group=group, by=request.user, name=name, description=description),
        f"The group is called “{name}” now; its address and links stay the same.",
    )


def _confirmed(request) -> bool:
    """Whether the person answered the confirmation page's question: its button posts ``confirm=yes``."""
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def _ask(request, group: Group, *, question: str, explanation: str, button: str):
    """The confirmation page of a Leave, Remove or Revoke: the question and a button that posts the same
    address with ``confirm=yes``. A GET, and a POST without it, land here and change nothing."""
    context = {"group": group, "question": question, "explanation": explanation, "button": button}
    return render(request, "documents/group_confirm.html", context)


def _moderated(request, slug) -> Group:
    """The group, if the reader moderates it; 404 otherwise, as its controls answer."""
    group, membership = _mine(request, slug)
    if not membership.is_moderator:
        raise Http404(NOT_FOUND)
    return group


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def group_revoke(request, slug, pk):
    if not _confirmed(request):
        group = _moderated(request, slug)
        invitation = get_object_or_404(Invitation.objects.valid(), group=group, pk=pk)
        made = date_format(timezone.localtime(invitation.created), "SHORT_DATETIME_FORMAT")
        return _ask(
            request,
            group,
            question=f"Revoke the invitation link made {made}?",
            explanation="Nobody can join through it any more; members who joined with it stay.",
            button="Revoke link",
        )
    return _act(
        request,
        slug,
        lambda group: groups.revoke_invitation(group=group, by=request.user, invitation_id=pk),
        "The link is revoked; it no longer lets anyone join.",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def group_remove(request, slug, user_pk):
    if not _confirmed(request):
        group = _moderated(request, slug)
        member = get_object_or_404(Membership.objects.select_related("user"), group=group, user=user_pk)
        return _ask(
            request,
            group,
            question=f"Remove {member.user.get_username()} from {group.name}?",
            explanation="They stop seeing the group’s notes at once, and links made before now no longer "
            "let them back in. Their notes stay theirs.",
            button="Remove",
        )
    return _act(
        request,
        slug,
        lambda group: groups.remove_member(group=group, by=request.user, member=_person(user_pk)),
        "Removed from the group: they no longer see its notes.",
    )


@login_required
@require_POST
def group_promote(request, slug, user_pk):
    return _act(
        request,
        slug,
        lambda group: groups.make_moderator(group=group, by=request.user, member=_person(user_pk)),
        "They are a moderator of the group now.",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def group_leave(request, slug):
    group, _ = _mine(request, slug)
    if not _confirmed(request):
        return _ask(
            request,
            group,
            question=f"Leave {group.name}?",
            explanation="You stop seeing the group’s notes; your own notes in it stay yours. "
            "To come back you need a new invitation link.",
            button="Leave group",
        )
    try:
        groups.leave_group(group=group, user=request.user)
    except groups.GroupError as error:
        messages.error(request, error.message)
        return redirect(group)
    except Membership.DoesNotExist:
        raise Http404(NOT_FOUND) from None
    messages.success(request, f"You left “{group.name}”.")
    return redirect("group-list")


@login_required
@require_POST
def group_hide_note(request, slug, pk):
    reason = request.POST.get("reason", "")
    return _act(
        request,
        slug,
        lambda group: moderation.hide_group_note(
            group=group, by=request.user, annotation_id=pk, reason=reason
        ),
        "The note is hidden from the group; its author sees why.",
    )


@login_required
@require_POST
def group_restore_note(request, slug, pk):
    return _act(
        request,
        slug,
        lambda group: moderation.restore_group_note(group=group, by=request.user, annotation_id=pk),
        "The note is shown to the group again.",
    )
