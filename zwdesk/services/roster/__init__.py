"""Reading 花名册 (rosters) from Excel/CSV into workers and placements, and writing Excel files.

Public API: `read_roster(path) -> RosterPlan`, `write_rejects_xlsx(plan, path)`,
`write_export_xlsx(path, workers, placements, follow_ups, claims)`.
"""

from __future__ import annotations

from zwdesk.domain.privacy import mask_id_number as mask_id
from zwdesk.domain.privacy import mask_phone
from zwdesk.services.roster.cells import NUMERIC_ID_REASON
from zwdesk.services.roster.fields import RosterField
from zwdesk.services.roster.plan import (
    RejectedCell,
    RejectedRow,
    RosterPlan,
    RosterRow,
    RosterStats,
    RosterWarning,
)
from zwdesk.services.roster.readers import RosterFileError
from zwdesk.services.roster.roster_reader import read_roster
from zwdesk.services.roster.row_validation import placement_id
from zwdesk.services.roster.xlsx_writers import write_export_xlsx, write_rejects_xlsx

__all__ = [
    "NUMERIC_ID_REASON",
    "RejectedCell",
    "RejectedRow",
    "RosterField",
    "RosterFileError",
    "RosterPlan",
    "RosterRow",
    "RosterStats",
    "RosterWarning",
    "mask_id",
    "mask_phone",
    "placement_id",
    "read_roster",
    "write_export_xlsx",
    "write_rejects_xlsx",
]
