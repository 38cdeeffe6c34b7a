"""The choices a field accepts, with the spellings people use for them."""

from __future__ import annotations

from .fields import _aliases

STEP1_STATUS = ("pending", "pass", "pass_after_fail", "numeric", "fail")
STEP1_ALIASES = _aliases(
    **{
        "pass": ("passed", "first attempt pass", "p"),
        "pass_after_fail": ("passed after fail", "pass after fail", "fail then pass", "second attempt pass"),
        "numeric": ("score", "legacy", "legacy score", "three digit"),
        "pending": ("not taken", "not yet", "planned"),
        "fail": ("failed",),
    }
)

STEP2_STATUS = ("not_taken", "passed", "failed")
STEP2_ALIASES = _aliases(
    not_taken=("pending", "planned", "not yet", "no"),
    passed=("pass", "taken", "done"),
    failed=("fail",),
)

SPECIALTIES = (
    "internal_medicine",
    "family_medicine",
    "pediatrics",
    "psychiatry",
    "neurology",
    "anesthesiology",
    "emergency_medicine",
    "radiology",
    "dermatology",
    "plastic_surgery",
    "orthopedics",
    "ent",
    "neurosurgery",
    "vascular_surgery",
    "general_surgery",
    "obstetrics_gynecology",
    "pathology",
    "physical_medicine_rehabilitation",
    "urology",
    "ophthalmology",
    "other",
)
SPECIALTY_ALIASES = _aliases(
    internal_medicine=("im", "medicine", "internal med", "int med"),
    family_medicine=("fm", "family", "family practice"),
    pediatrics=("peds", "paediatrics"),
    psychiatry=("psych",),
    neurology=("neuro",),
    anesthesiology=("anesthesia", "anaesthesia", "gas"),
    emergency_medicine=("em", "emergency", "er"),
    radiology=("rads", "diagnostic radiology"),
    dermatology=("derm",),
    plastic_surgery=("plastics", "plastic"),
    orthopedics=("ortho", "orthopaedics", "orthopedic surgery"),
    ent=("otolaryngology", "ear nose throat"),
    neurosurgery=("nsgy", "neurological surgery"),
    vascular_surgery=("vascular",),
    general_surgery=("surgery", "gen surg", "gs", "general surg"),
    obstetrics_gynecology=("ob gyn", "obgyn", "ob/gyn", "obstetrics", "gynecology", "ob"),
    pathology=("path", "clinical pathology", "anatomic pathology"),
    physical_medicine_rehabilitation=("pm&r", "pmr", "pm r", "physiatry", "rehab", "rehabilitation"),
    urology=("uro",),
    ophthalmology=("ophtho", "ophth", "eye"),
    other=("something else",),
)

# Where a rotation can be: the target specialties, and the internal-medicine subspecialties
# that count as aligned with IM [002] (rules.json: alignment.im_subspecialties).
SITE_SPECIALTIES = (
    *SPECIALTIES,
    "cardiology",
    "nephrology",
    "gastroenterology",
    "pulmonology",
    "critical_care",
    "infectious_disease",
    "hematology_oncology",
    "endocrinology",
    "rheumatology",
    "geriatrics",
    "hospital_medicine",
)
SITE_SPECIALTY_ALIASES = {
    **SPECIALTY_ALIASES,
    **_aliases(
        cardiology=("cards", "cardio", "cardiovascular"),
        nephrology=("renal", "nephro"),
        gastroenterology=("gi", "gastro", "hepatology"),
        pulmonology=("pulm", "pulmonary", "pulmonary medicine"),
        critical_care=("icu", "micu", "pccm", "pulmonary critical care", "intensive care"),
        infectious_disease=("id", "infectious diseases"),
        hematology_oncology=("heme onc", "hem onc", "hematology", "oncology", "hemonc"),
        endocrinology=("endo", "endocrine"),
        rheumatology=("rheum", "rheumatology"),
        geriatrics=("geri", "geriatric medicine"),
        hospital_medicine=("hospitalist", "inpatient medicine", "wards"),
    ),
}

PROGRAM_TIERS = ("academic", "university_affiliated", "community")
TIER_ALIASES = _aliases(
    academic=("research academic", "university", "top"),
    university_affiliated=("mid tier", "mid-tier academic", "university affiliated community", "affiliated"),
    community=("community hospital", "img friendly"),
)

VISAS = ("none", "j1", "h1b")
# How a stored choice reads when it is not its own words with spaces for underscores.
CHOICE_LABELS = {"j1": "J-1", "h1b": "H-1B", "j1_h1b": "J-1 and H-1B", "university_affiliated": "university-affiliated"}


def choice_label(value: str) -> str:
    """A stored choice as people write it: 'internal_medicine' -> 'internal medicine', 'j1' -> 'J-1'."""
    return CHOICE_LABELS.get(value) or value.replace("_", " ")


def specialty_words(specialty: str | None) -> str:
    """The target specialty inside a sentence: 'internal medicine', or 'your specialty' for
    "other" and for one not chosen yet."""
    return "your specialty" if specialty in (None, "other") else choice_label(specialty)


VISA_ALIASES = _aliases(none=("no", "citizen", "green card", "n/a"), j1=("j-1", "j 1", "j"), h1b=("h-1b", "h1", "h"))

EXAM_MODES = ("timed_random", "timed_system", "tutor")
MODE_ALIASES = _aliases(
    timed_random=("timed", "timed mixed", "random", "timed-random", "mixed"),
    timed_system=("timed by system", "system", "timed-system", "by system"),
    tutor=("tutor mode", "untimed"),
)

USCE_TYPES = (
    "core_rotation",
    "sub_internship",
    "inpatient_elective",
    "externship",
    "observership_inpatient",
    "observership_outpatient",
    "shadowing",
    "tele_rotation",
    "research",
)
USCE_TYPE_ALIASES = _aliases(
    core_rotation=("core", "clerkship", "core clerkship", "rotation"),
    sub_internship=("sub-i", "subi", "sub i", "acting internship", "ai"),
    inpatient_elective=("elective",),
    externship=("hands-on externship", "hands on", "extern"),
    observership_inpatient=(
        "observership",
        "inpatient observership",
        "academic observership",
        "structured observership",
    ),
    observership_outpatient=("outpatient observership", "clinic observership", "clinic"),
    shadowing=("shadow",),
    tele_rotation=("tele", "telerotation", "virtual", "zoom", "online"),
    research=("research only",),
)

SETTINGS = ("teaching_hospital", "community_hospital", "outpatient_clinic", "private_office", "virtual")
SETTING_ALIASES = _aliases(
    teaching_hospital=("teaching", "academic", "university hospital"),
    community_hospital=("community",),
    outpatient_clinic=("clinic", "outpatient"),
    private_office=("private", "private practice", "office"),
    virtual=("online", "zoom", "tele"),
)

SITE_STATUSES = (
    "idea",
    "contacted",
    "replied",
    "applied",
    "accepted",
    "booked",
    "in_progress",
    "completed",
    "declined",
    "rejected",
    "not_responding",
    "do_not_contact",
)
STATUS_ALIASES = _aliases(
    idea=("new", "todo", "to contact"),
    contacted=("emailed", "sent", "inquired"),
    in_progress=("ongoing", "current", "active"),
    completed=("done", "finished"),
    not_responding=("no response", "no reply", "ghosted"),
    booked=("confirmed",),
    do_not_contact=("do not contact", "dnc", "retired"),
)
# A site in one of these has left the outreach work list (kept, not deleted).
RETIRED_STATUSES = ("not_responding", "declined", "rejected", "do_not_contact")
SECURED_STATUSES = ("booked", "in_progress", "completed")

# The scale of a practice exam imgtui does not know (its own forms say theirs).
SCALES = ("three_digit", "percent")
SCALE_ALIASES = _aliases(three_digit=("three digit", "3 digit", "step", "score"), percent=("percentage", "pct"))

# The program list (the fifth pane).
PROGRAM_VISAS = ("none", "j1", "j1_h1b")
PROGRAM_VISA_ALIASES = _aliases(
    none=("no", "n", "no visa", "not sponsored", "citizens only"),
    j1=("j-1", "j 1", "j1 only", "j-1 only", "j"),
    j1_h1b=("j1 and h1b", "j-1 and h-1b", "j-1, h-1b", "j1/h1b", "j-1/h-1b", "both", "h1b", "h-1b", "h1", "h", "yes"),
)
PROGRAM_STATUSES = ("researching", "applied", "invited", "interviewed", "ranked", "withdrawn")
PROGRAM_STATUS_ALIASES = _aliases(
    researching=("idea", "to apply", "planned", "shortlist"),
    applied=("submitted", "sent"),
    invited=("interview invite", "ii", "invite"),
    interviewed=("done interview",),
    ranked=("on rol", "rank"),
    withdrawn=("dropped", "removed", "declined"),
)

# What a reply said: it moves the site on (yes: accepted, no: declined, else: replied).
REPLY_GISTS = ("yes", "no", "needs_documents", "other")
REPLY_GIST_ALIASES = _aliases(
    yes=("accepted", "offered", "place offered", "y"),
    no=("declined", "rejected", "not possible", "n"),
    needs_documents=("documents", "docs", "needs docs", "application", "apply"),
    other=("something else", "maybe", "later"),
)

# A rotation's costs besides its fee: (field, label, what it covers).
COST_FIELDS = (
    ("housing", "Housing", "rent for the weeks of the rotation"),
    ("travel", "Travel", "flights and local transport"),
    ("insurance", "Insurance", "health insurance while in the US"),
    ("visa_cost", "Visa", "visa fees"),
    ("background_check", "Background check", "background check, drug screen, immunisation titres"),
    ("other_costs", "Other costs", "food, phone and the rest"),
)
