"""Run every benchmark: ``python -m bench`` (or ``make bench``)."""

from bench import (
    certificates,
    fixed_cost,
    funder,
    hostile,
    lesson_throughput,
    practice,
    quizzes,
    register_matrix,
)

if __name__ == "__main__":
    lesson_throughput.main()
    fixed_cost.main()
    register_matrix.main()
    quizzes.main()
    practice.main()
    certificates.main()
    funder.main()
    hostile.main()
