"""The areas of a children's services performance report, in the order the papers to a
scrutiny committee take them (an indicator names its area: Indicator.area), and the dimensions
its values are commonly broken down by (a council may use its own)."""

AREAS: dict[str, str] = {
    "referrals": "Referrals",
    "assessments": "Assessments",
    "children_in_need": "Children in need",
    "child_protection": "Child protection",
    "children_in_care": "Children in care",
    "care_leavers": "Care experienced young people",
    "caseloads": "Caseloads",
    "recruitment": "Recruitment",
}

# Areas whose counts are posts and cases held, not children: never hidden as small numbers.
WORKFORCE_AREAS = frozenset({"caseloads", "recruitment"})

# Suggested breakdown dimensions; any other (a council's own) is kept as the file names it.
DIMENSIONS: dict[str, str] = {
    "locality": "Locality",
    "team": "Team",
    "service": "Service",
    "role": "Role",
}
DIMENSION_MAX, CATEGORY_MAX = 40, 100


def area_title(key: str) -> str:
    return AREAS.get(key, key.replace("_", " ").capitalize() if key else "Other indicators")


def dimension_key(text: str) -> str:
    """How a dimension is stored: lower case, single spaces ("Locality " -> "locality")."""
    return " ".join(str(text or "").split()).lower()[:DIMENSION_MAX]


def dimension_title(key: str) -> str:
    return DIMENSIONS.get(key, key[:1].upper() + key[1:])
