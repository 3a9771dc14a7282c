"""How the pages write money, people and a vacancy's terms: one formatter each, used by every template (through
`recruitment.templatetags.display`) and by the admin.

Money follows the GOV.UK style guide (which NHS.UK content follows): a pound sign, thousands separated by commas,
pence only when there are some ("£31,049", "£15.50", never "£31049.00" or "£15.5").
"""

from decimal import ROUND_HALF_UP, Decimal

from recruitment.models import SalaryType, Vacancy, WorkingPattern

_PENNY = Decimal("0.01")


def money(amount: Decimal | int | float | str | None) -> str:
    """'£31,049' for whole pounds, '£15.50' otherwise; '' for None."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(_PENNY, rounding=ROUND_HALF_UP)
    if value == value.to_integral_value():
        return f"£{value:,.0f}"
    return f"£{value:,.2f}"


def person_name(user, default: str = "") -> str:
    """A member of staff as people know them: their full name, else their username; `default` for nobody."""
    if user is None:
        return default
    return user.get_full_name().strip() or user.get_username()


def salary(vacancy: Vacancy) -> str:
    """'£29,970 to £36,483 per annum', '£15.50 per hour', or 'Negotiable'."""
    period = vacancy.get_salary_period_display()
    if vacancy.salary_type == SalaryType.NEGOTIABLE or vacancy.salary_min is None:
        return vacancy.get_salary_type_display()
    if vacancy.salary_type == SalaryType.RANGE and vacancy.salary_max is not None:
        return f"{money(vacancy.salary_min)} to {money(vacancy.salary_max)} {period}"
    return f"{money(vacancy.salary_min)} {period}"


def working_patterns(vacancy: Vacancy) -> str:
    """'Full time, Part time' in the order the choices declare them; '' when none."""
    chosen = set(vacancy.working_patterns or ())
    return ", ".join(label for value, label in WorkingPattern.choices if value in chosen)


def hours(vacancy: Vacancy) -> str:
    """'37.5 hours a week', '22 hours a week', or '' when not set."""
    if vacancy.hours_per_week is None:
        return ""
    amount = vacancy.hours_per_week.normalize()
    return f"{amount:f} hour{'' if amount == 1 else 's'} a week"


def contract_length(vacancy: Vacancy) -> str:
    """'12 months', '1 year', or '' when the vacancy has no length (a permanent post)."""
    length, unit = vacancy.contract_duration_length, vacancy.contract_duration_unit
    if not (length and unit):
        return ""
    label = vacancy.get_contract_duration_unit_display().lower()
    return f"{length} {label.removesuffix('s') if length == 1 else label}"


def contract(vacancy: Vacancy) -> str:
    """The employment type and, for a temporary contract, its length: 'Fixed term, 12 months', 'Permanent'."""
    length = contract_length(vacancy)
    return f"{vacancy.employment_type.name}, {length}" if length else vacancy.employment_type.name


def band(vacancy: Vacancy) -> str:
    """The pay band's name ('Band 5'), or '' when the vacancy has none."""
    return vacancy.salary_band.name if vacancy.salary_band_id else ""
