"""The web app's forms (Flask-WTF: validation and a CSRF token on each)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined,unused-ignore]
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from pspn_core.notes.model import LABELS

__all__ = [
    "DecideForm",
    "NoteForm",
    "PlainForm",
    "RedactForm",
    "RestoreForm",
    "SelectChoice",
    "SignInForm",
    "TopicForm",
    "VolunteerForm",
]

LABEL_NAMES = {
    "PERSON": "A person's name",
    "USERNAME": "A forum username",
    "EMAIL": "An email address",
    "PHONE": "A phone number",
    "NHS_NUMBER": "An NHS number",
    "MEDICAL_ID": "A hospital or medical number",
    "POSTCODE": "A postcode",
    "ADDRESS": "An address",
    "DATE_OF_BIRTH": "A date of birth",
    "ORGANISATION": "An organisation",
    "LOCATION": "A place",
    "URL": "A web address",
}


class PlainForm(FlaskForm):
    """A form that is only a button (sign out, vote, approve): the CSRF token alone."""


class SignInForm(FlaskForm):
    username = StringField(
        "Your forum username",
        validators=[DataRequired("Enter your forum username"), Length(max=80)],
    )


class TopicForm(FlaskForm):
    title = StringField(
        "Raise a topic",
        validators=[
            DataRequired("Enter the topic you want to talk about"),
            Length(max=200, message="Keep the topic to 200 characters or fewer"),
        ],
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VolunteerForm(FlaskForm):
    slots = MultiCheckboxField("Which meetings could you chair?", choices=[])


class NoteForm(FlaskForm):
    meeting = SelectField("Which meeting are these notes from?", choices=[], default="")
    text = TextAreaField("Paste the notes", validators=[Optional()])
    upload = FileField("Or choose a file")


class RedactForm(FlaskForm):
    text = StringField(
        "Word or words to hide",
        validators=[DataRequired("Enter the word or words to hide"), Length(max=200)],
    )
    label = SelectField(
        "What is it?", choices=[SelectChoice(label, LABEL_NAMES[label]) for label in LABELS]
    )


class RestoreForm(FlaskForm):
    reason = StringField(
        "Why show it again?",
        validators=[DataRequired("Say why this should be shown"), Length(max=500)],
    )


class DecideForm(FlaskForm):
    outcome = RadioField(
        "Your decision",
        choices=[
            SelectChoice("admit", "Admit them to the network"),
            SelectChoice("decline", "Decline the application"),
            SelectChoice("ask", "Ask them a question first"),
        ],
        validators=[DataRequired("Choose a decision")],
    )
    reason = TextAreaField(
        "Reason",
        validators=[DataRequired("Give a reason for the record"), Length(max=2000)],
    )
    question = TextAreaField("Question to send them", validators=[Length(max=2000)])
