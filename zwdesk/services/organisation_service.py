"""Partner organisations (劳务中介, 就业帮扶车间, 工作站, 零工市场/驿站): list and register them."""

from __future__ import annotations

from dataclasses import dataclass

from zwdesk.domain.model import Organisation, OrganisationKind
from zwdesk.services.station_service import StationInputError, check_county
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.organisation_repository import OrganisationRepository

CODE_MAX_LENGTH = 32


@dataclass(frozen=True, slots=True)
class OrganisationEntry:
    """One organisation as the 组织 page shows it."""

    organisation: Organisation
    contact: str | None
    own: bool  # our own organisation (本站)


class OrganisationService:
    """Organisations of one open database; every change is checked, audited, one transaction."""

    def __init__(self, database: StationDatabase, actor: str = "") -> None:
        self._database = database
        self._organisations = OrganisationRepository(database)
        self.actor = actor

    def list(self) -> list[OrganisationEntry]:
        """Every live organisation, by code."""
        own = self._organisations.station_profile()
        own_code = own.id if own else None
        found = sorted(self._organisations.all(), key=lambda organisation: organisation.id)
        return [
            OrganisationEntry(
                organisation,
                self._organisations.contact(organisation.id),
                organisation.id == own_code,
            )
            for organisation in found
        ]

    def add(
        self,
        code: str,
        kind: str | OrganisationKind,
        name: str,
        county: str | None = None,
        contact: str = "",
    ) -> Organisation:
        """Register a partner organisation; a code already in use is refused."""
        code = (code or "").strip()
        if not code:
            raise StationInputError("编号", "不能为空")
        if len(code) > CODE_MAX_LENGTH:
            raise StationInputError("编号", f"不能超过{CODE_MAX_LENGTH}个字符")
        if any(character.isspace() for character in code):
            raise StationInputError("编号", "不能包含空格")
        try:
            checked_kind = OrganisationKind(kind)
        except ValueError:
            raise StationInputError("类型", f"未知的组织类型“{kind}”") from None
        if not name or not name.strip():
            raise StationInputError("名称", "不能为空")
        checked_county = check_county(county, "所在县", required=False)
        if self._organisations.get(code) is not None:
            raise StationInputError("编号", f"编号“{code}”已被其他组织使用")
        organisation = Organisation(
            id=code, kind=checked_kind, name=name.strip(), county=checked_county
        )
        with self._database.transaction(self.actor):
            self._organisations.upsert([organisation], (contact or "").strip() or None)
        return organisation
