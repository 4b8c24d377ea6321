"""Sign in and out, sign up, account tokens, and the officials' approval queue."""
from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from graph import users as user_repo

from ..errors import N_, DomainError, Invalid
from ..extensions import get_graph
from ..notifications.settings import account_settings
from ..rules.signups import REASONS
from ..schemas.auth import ApprovalForm, PendingQuery, Rejection, SignUp, TokenRequest
from ..security import current_principal, remember_device, sign_in, sign_in_client, sign_out
from ..rules import input_problems, normalise
from ..rules.text import is_local_path
from ..services import accounts, signups
from ..services.permissions import require_login, require_manager
from ..services.signin_throttle import SignInThrottled
from . import web_bp
from .forms import args_data, form_data
from .messages import page_error, translated


@web_bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        try:
            data = form_data(TokenRequest())
            user = accounts.authenticate(get_graph(), data["email"], data["password"], time.time(),
                                         sign_in_client(data["email"]))
        except DomainError as exc:
            flash(translated(exc.message), "error")
            headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, SignInThrottled) else {}
            return render_template("auth/login.html", email=request.form.get("email", "")), exc.status, headers
        sign_in(user)
        return remember_device(redirect(_safe_next(request.args.get("next"))), user["email"])
    return render_template("auth/login.html", email="")


def _safe_next(target: str | None) -> str:
    # Only this site's paths: an open redirect would let a phishing link borrow our login page.
    return target if is_local_path(target) else url_for("web.home")


@web_bp.post("/logout")
def logout():
    sign_out()
    return redirect(url_for("web.home"))


@web_bp.route("/signup", methods=["GET", "POST"])
def signup():
    if request.method == "POST":
        try:
            accounts.sign_up(get_graph(), **form_data(SignUp()))
        except DomainError as exc:
            return render_template("auth/signup.html", form=request.form, error=exc), exc.status
        flash(_("Thank you. An official will approve your account and link it to your enterprise."))
        return redirect(url_for("web.login"))
    return render_template("auth/signup.html", form={}, error=None)


@web_bp.route("/account", methods=["GET", "POST"])
def account():
    principal = current_principal()
    require_login(principal)
    new_token = None
    if request.method == "POST":
        user = user_repo.get(get_graph(), principal.id)
        name = request.form.get("name", "api")[:80]
        if input_problems({"name": name}):
            raise Invalid(N_("some fields are not valid"), input_problems({"name": name}))
        new_token, _record = accounts.issue_token(get_graph(), user, normalise(name))
    alerts_enabled = account_settings(get_graph(), principal)["alerts_enabled"]
    return render_template("auth/account.html", tokens=user_repo.list_tokens(get_graph(), principal.id),
                           new_token=new_token, alerts_enabled=alerts_enabled)


@web_bp.post("/account/tokens/<token_id>/revoke")
def revoke_token(token_id: str):
    principal = current_principal()
    require_login(principal)
    accounts.revoke(get_graph(), principal, token_id)
    flash(_("Token revoked."))
    return redirect(url_for("web.account"))


@web_bp.get("/accounts/pending")
def pending_accounts():
    require_manager(current_principal())
    args = args_data(PendingQuery())
    users = accounts.pending(get_graph())
    offers = {u["id"]: signups.candidates(get_graph(), u, args["q"] if args["for_user"] == u["id"] else "")
              for u in users}
    return render_template("auth/pending.html", users=users, offers=offers, args=args,
                           reasons=REASONS)


@web_bp.post("/accounts/<user_id>/approve")
def approve_account(user_id: str):
    try:
        signups.decide_approval(get_graph(), current_principal(), user_id, form_data(ApprovalForm()),
                                current_app.config["HOME_REGION"])
        flash(_("Account approved."))
    except DomainError as exc:
        _flash_error(exc)
    return redirect(url_for("web.pending_accounts"))


@web_bp.post("/accounts/<user_id>/reject")
def reject_account(user_id: str):
    try:
        data = form_data(Rejection())
        signups.reject(get_graph(), current_principal(), user_id, data["reason"], data["note"])
        flash(_("Sign-up declined."))
    except DomainError as exc:
        _flash_error(exc)
    return redirect(url_for("web.pending_accounts"))


def _flash_error(exc: DomainError) -> None:
    if exc.status in (401, 403):
        raise exc  # not a form problem: the error page (or the sign-in page) says so
    shown = page_error(exc.message, exc.fields)
    details = "; ".join(" ".join(v) for v in shown.fields.values())
    flash(f"{shown.message}{_(': ') + details if details else ''}", "error")
