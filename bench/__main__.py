"""Run every benchmark: ``python -m bench`` (or ``make bench``)."""

import sys

from bench import (
    certificates,
    cohort_page,
    fixed_cost,
    funder,
    hostile,
    load,
    memory,
    pages,
    practice,
    quizzes,
    register_matrix,
)

if __name__ == "__main__":
    sys.argv = sys.argv[:1]  # each benchmark with its defaults
    pages.main()
    memory.main()
    load.main()
    fixed_cost.main()
    register_matrix.main()
    cohort_page.main()
    quizzes.main()
    practice.main()
    certificates.main()
    funder.main()
    hostile.main()
