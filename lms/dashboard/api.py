"""What other features may use of dashboard: everything else stays inside it."""

from lms.dashboard.coordinator import coordinator_home  # noqa: F401
from lms.dashboard.trainee import trainee_home  # noqa: F401
from lms.dashboard.trainer import trainer_home  # noqa: F401
