"""``/surveys/<token>``: answering a survey without signing in.

The single-use token is the credential. The answers go through the same use
case as ``pspn surveys respond``, which spends the token in the same
transaction that stores them; nothing ties the answers to the person.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from pspn_adapters.web.forms import PlainForm
from pspn_adapters.web.views import context
from pspn_core.errors import InputError, OperationError, PspnError
from pspn_core.surveys.model import QuestionKind, Survey
from pspn_core.surveys.responses import hash_token
from pspn_core.surveys.service import respond

__all__ = ["blueprint"]

blueprint = Blueprint("surveys", __name__, url_prefix="/surveys")


def _today() -> date:
    return context().clock().astimezone(ZoneInfo("Europe/London")).date()


def _survey(token: str) -> Survey | None:
    store = context().store
    try:
        return store.survey(store.token_survey(hash_token(token)))
    except PspnError:
        return None


@blueprint.route("/<token>", methods=["GET", "POST"])
def answer(token: str) -> ResponseReturnValue:
    survey = _survey(token)
    if survey is None:
        return render_template("survey_spent.html"), 410
    if not survey.is_open(_today()):
        return render_template("survey_closed.html", survey=survey), 410
    form = PlainForm()
    errors: dict[str, str] = {}
    general: list[str] = []
    raw: dict[str, str] = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            general.append("The form had expired. Check your answers and send them again.")
        raw = _raw_answers(survey)
        if not general:
            try:
                respond(context().store, token, raw, today=_today())
            except InputError as error:
                errors, general = _split(survey, str(error))
            except OperationError:
                return render_template("survey_spent.html"), 410
            else:
                return render_template("survey_done.html", survey=survey)
    status = 400 if errors or general else 200
    return (
        render_template(
            "survey.html",
            survey=survey,
            form=form,
            raw=raw,
            chosen={q.id: raw.get(q.id, "").split(";") for q in survey.questions},
            errors=errors,
            general=general,
            kinds=QuestionKind,
        ),
        status,
    )


def _raw_answers(survey: Survey) -> dict[str, str]:
    """The form's answers as the text the use case parses (several choices joined by ';')."""
    raw = {}
    for question in survey.questions:
        if question.kind is QuestionKind.MULTIPLE:
            raw[question.id] = ";".join(request.form.getlist(question.id))
        else:
            raw[question.id] = request.form.get(question.id, "")
    return raw


def _split(survey: Survey, message: str) -> tuple[dict[str, str], list[str]]:
    """The use case's ``id: problem; ...`` message, as a problem per question."""
    errors: dict[str, str] = {}
    general = []
    ids = {q.id for q in survey.questions}
    for part in message.split("; "):
        qid, sep, problem = part.partition(": ")
        if sep and qid in ids:
            errors[qid] = _plain(problem)
        elif part.strip():
            general.append("Answer at least one question." if "no question" in part else part)
    return errors, general


def _plain(problem: str) -> str:
    if problem == "an answer is required":
        return "Answer this question"
    return problem[0].upper() + problem[1:]
