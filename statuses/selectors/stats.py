"""The instance's counts."""



from accounts.models import Account
from statuses.models import (
    Status,
)


def instance_stats() -> dict[str, int]:
    """The counts `/api/v1/instance` reports: active users and kept statuses."""
    return {
        "user_count": Account.objects.filter(is_active=True).count(),
        "status_count": Status.objects.filter(deleted_at__isnull=True).count(),
        "domain_count": 0,
    }
