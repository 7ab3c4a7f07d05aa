"""The indicators a CCPT program starts with: the four outcome measures of EC 53013(e) and the practice counts that
grantees tracked locally (REFERENCE.md "Indicators" and "How CCPT grantees actually reported"). Each definition
cites its source; a program revises them as versions (services.revise_indicator)."""

from .models import IndicatorVersion as V

M, R, B, U = V.Measure, V.Reporter, V.Breakdown, V.Unit

STANDARD: list[dict] = [
    {
        "code": "cte-concentrators",
        "name": "CTE concentrators",
        "definition": "Students who have completed at least two courses in a single career technical education "
        "program or program of study of the pathway, in the reporting year. Source: Perkins V, 20 U.S.C. "
        "2302(12)(A); CDE, CTE Pathways: Definitions and Coding Guidance.",
        "unit": U.COUNT,
        "reporters": [R.K12],
        "breakdowns": [B.GRADE_LEVEL, B.STUDENT_GROUP],
        "measure": M.ACADEMIC,
    },
    {
        "code": "cte-c-or-better",
        "name": "CTE courses passed with C or better",
        "definition": "Of the pathway's CTE course enrollments completed in the reporting year, the share completed "
        "with a grade of C or better. Tracked locally by each school (LaunchBoard CCPT tab, 2015).",
        "unit": U.RATE,
        "numerator": "Pathway CTE course enrollments completed with a grade of C or better.",
        "denominator": "Pathway CTE course enrollments completed with any grade.",
        "reporters": [R.K12],
        "breakdowns": [B.STUDENT_GROUP],
        "measure": M.ACADEMIC,
    },
    {
        "code": "pathway-completers",
        "name": "CTE pathway completers",
        "definition": "Students who completed the pathway's courses in sequence and passed the capstone course with "
        "a C- or better, as the LEA reports them in CALPADS (SCTE file, CTE Pathway Completion Academic Year ID). "
        "The 300-hour minimum was removed in 2023. Source: CDE, CTE Pathways: Definitions and Coding Guidance; "
        "CCCCO DataVista metric 122K.",
        "unit": U.COUNT,
        "reporters": [R.K12],
        "breakdowns": [B.STUDENT_GROUP],
        "measure": M.ACADEMIC,
    },
    {
        "code": "graduates",
        "name": "Graduates",
        "definition": "Pathway students who graduated from high school in the reporting year.",
        "unit": U.COUNT,
        "reporters": [R.K12],
        "breakdowns": [B.STUDENT_GROUP],
        "measure": M.GRADUATES,
    },
    {
        "code": "graduation-rate",
        "name": "Graduation rate",
        "definition": "Of the pathway students expected to graduate in the reporting year, the share who graduated. "
        "EC 53013(e)(2) asks for the number and the rate of graduates.",
        "unit": U.RATE,
        "numerator": "Pathway students in the cohort who graduated from high school in the reporting year.",
        "denominator": "Pathway students in the cohort expected to graduate in the reporting year.",
        "reporters": [R.K12],
        "breakdowns": [B.STUDENT_GROUP],
        "measure": M.GRADUATES,
    },
    {
        "code": "credentials",
        "name": "Certificates and degrees earned",
        "definition": "Chancellor's Office approved certificates and associate degrees earned in the reporting year "
        "by students who came through the pathway. Source: CCCCO Metric Definition Dictionary (DataVista).",
        "unit": U.COUNT,
        "reporters": [R.COLLEGE],
        "breakdowns": [B.STUDENT_GROUP],
        "measure": M.POSTSECONDARY,
    },
    {
        "code": "postsecondary-enrollment",
        "name": "Enrolled in postsecondary education",
        "definition": "Pathway graduates of the previous year enrolled in a community college, a four-year "
        "institution or an approved apprenticeship in the reporting year.",
        "unit": U.COUNT,
        "reporters": [R.K12, R.COLLEGE],
        "breakdowns": [B.STUDENT_GROUP],
        "measure": M.POSTSECONDARY,
    },
    {
        "code": "transfer-ready",
        "name": "Transfer ready",
        "definition": "Pathway students at a community college who completed 60 transferable units with transfer-level "
        "English and math, or transferred to a four-year institution, in the reporting year. Source: CCCCO Metric "
        "Definition Dictionary (DataVista).",
        "unit": U.COUNT,
        "reporters": [R.COLLEGE],
        "breakdowns": [],
        "measure": M.POSTSECONDARY,
    },
    {
        "code": "employment-transitions",
        "name": "Transitions to employment, apprenticeship or job training",
        "definition": "Pathway completers who, within the reporting year, started a job closely related to the "
        "pathway's field, an apprenticeship or a job-training program.",
        "unit": U.COUNT,
        "reporters": [R.ANY],
        "breakdowns": [],
        "measure": M.EMPLOYMENT,
    },
    {
        "code": "students-in-pathways",
        "name": "Students in pathways",
        "definition": "Students enrolled in at least one course of the consortium's pathways during the reporting "
        "year, counted once each.",
        "unit": U.COUNT,
        "reporters": [R.K12, R.COLLEGE],
        "breakdowns": [B.GRADE_LEVEL, B.STUDENT_GROUP],
    },
    {
        "code": "dual-enrollment",
        "name": "Dual-enrollment students",
        "definition": "High school students of the pathways who took at least one college course for credit "
        "(dual or concurrent enrollment) during the reporting year, counted once each.",
        "unit": U.COUNT,
        "reporters": [R.K12, R.COLLEGE],
        "breakdowns": [B.GRADE_LEVEL],
    },
    {
        "code": "work-based-learning",
        "name": "Students in work-based learning",
        "definition": "Students of the pathways who took part in work-based learning during the reporting year, by "
        "kind (career awareness, exploration, preparation, training), counted once in each kind. Tracked locally "
        "by data managers at each school and college (LaunchBoard CCPT tab, 2015).",
        "unit": U.COUNT,
        "reporters": [R.K12, R.COLLEGE],
        "breakdowns": [B.WBL_KIND],
    },
    {
        "code": "student-internships",
        "name": "Student internships",
        "definition": "Internships that students of the pathways held with an employer during the reporting year.",
        "unit": U.COUNT,
        "reporters": [R.ANY],
        "breakdowns": [],
    },
    {
        "code": "teacher-internships",
        "name": "Teacher internships (externships)",
        "definition": "Teachers and faculty of the pathways who spent time working with an employer in the pathway's "
        "field during the reporting year.",
        "unit": U.COUNT,
        "reporters": [R.ANY],
        "breakdowns": [],
    },
    {
        "code": "business-partners-active",
        "name": "Business partners active",
        "definition": "Employers that took part in the consortium's work during the reporting year (hosted students "
        "or teachers, advised on curriculum, or gave resources), counted once each.",
        "unit": U.COUNT,
        "reporters": [R.EMPLOYER, R.K12, R.COLLEGE],
        "breakdowns": [],
    },
]
