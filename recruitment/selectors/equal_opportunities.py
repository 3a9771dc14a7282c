"""Equal-opportunities monitoring in aggregate: counts per answer, overall or for one vacancy, small counts hidden.

Disclosure control, as NHS and ONS statistics practise it, so that no count points at a person:
- primary: any count below SMALL_COUNT (zero included) shows as "fewer than 5";
- secondary: where the group's total is shown and exactly one count of a question was hidden, the smallest shown
  count of that question is hidden too, so the hidden one cannot be worked out from the total.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from recruitment.models import EqualOpportunities, Vacancy
from recruitment.selectors.scope import applications_visible_to, vacancies_visible_to

SMALL_COUNT = 5
SUPPRESSED = f"fewer than {SMALL_COUNT}"
# The questions, in the order the apply page asks them.
QUESTIONS = (
    "age_band",
    "sex",
    "gender_same_as_at_birth",
    "ethnicity",
    "disability",
    "sexual_orientation",
    "religion",
)


@dataclass(frozen=True)
class AnswerCount:
    """One answer and how many gave it: a number as text, or SUPPRESSED."""

    answer: str
    count: str


@dataclass(frozen=True)
class QuestionCounts:
    """The counts of every answer to one question."""

    question: str
    answers: list[AnswerCount]


@dataclass(frozen=True)
class EqualOpportunitiesReport:
    """How many answered (a number as text, or SUPPRESSED) and the counts per question."""

    responses: str
    questions: list[QuestionCounts]


def shown(count: int) -> str:
    """A count as the report shows it (primary suppression)."""
    return str(count) if count >= SMALL_COUNT else SUPPRESSED


def suppress(counts: Mapping[str, int], *, total_shown: bool) -> dict[str, str]:
    """Counts per answer -> what the report shows per answer (primary and secondary suppression, as above)."""
    result = {answer: shown(count) for answer, count in counts.items()}
    hidden = [answer for answer, text in result.items() if text == SUPPRESSED]
    visible = [answer for answer in counts if result[answer] != SUPPRESSED]
    if total_shown and len(hidden) == 1 and visible:
        smallest = min(visible, key=lambda answer: counts[answer])
        result[smallest] = SUPPRESSED
    return result


def equal_opportunities_vacancies(*, user) -> QuerySet[Vacancy]:
    """Vacancies in the user's scope with at least one set of answers (the report's choices)."""
    return (
        vacancies_visible_to(user)
        .filter(applications__equal_opportunities__isnull=False)
        .distinct()
        .order_by("-closing_date", "reference")
    )


def equal_opportunities_report(*, user, vacancy: Vacancy | None = None) -> EqualOpportunitiesReport:
    """Counts of every answer to every question, over the applications in the user's scope (or one vacancy's).

    Never lists a person or an application. Eight queries (the total and one per question).
    """
    answers = EqualOpportunities.objects.filter(application__in=applications_visible_to(user))
    if vacancy is not None:
        answers = answers.filter(application__vacancy=vacancy)
    total = answers.count()
    questions = []
    for name in QUESTIONS:
        field = EqualOpportunities._meta.get_field(name)
        found = dict(answers.values_list(name).annotate(n=Count("pk")).order_by())
        counts = {value: found.get(value, 0) for value, _label in field.choices}
        texts = suppress(counts, total_shown=total >= SMALL_COUNT)
        labels = dict(field.choices)
        questions.append(
            QuestionCounts(
                question=str(field.verbose_name)[:1].upper() + str(field.verbose_name)[1:],
                answers=[AnswerCount(answer=str(labels[value]), count=texts[value]) for value in counts],
            )
        )
    return EqualOpportunitiesReport(responses=shown(total), questions=questions)
