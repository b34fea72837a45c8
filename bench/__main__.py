"""Run every benchmark: ``python -m bench`` (or ``make bench``)."""

from bench import (
    certificates,
    cohort_page,
    funder,
    hostile,
    lesson_throughput,
    practice,
    quizzes,
    register_matrix,
)

if __name__ == "__main__":
    lesson_throughput.main()
    register_matrix.main()
    cohort_page.main()
    quizzes.main()
    practice.main()
    certificates.main()
    funder.main()
    hostile.main()
