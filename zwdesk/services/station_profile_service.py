"""Who this station is (本站): read and set up the station profile on first run."""

from __future__ import annotations

from zwdesk.domain.model import Organisation, OrganisationKind
from zwdesk.services.station_service import StationInputError, check_county
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.organisation_repository import OrganisationRepository

# The code our own organisation gets when it is set up here (partners keep their own codes).
OWN_ORGANISATION_CODE = "本站"


class StationProfileService:
    """The station profile of one open database."""

    def __init__(self, database: StationDatabase, actor: str = "") -> None:
        self._database = database
        self._organisations = OrganisationRepository(database)
        self.actor = actor

    def profile(self) -> Organisation | None:
        """Our own organisation, or None before the first-run setup."""
        return self._organisations.station_profile()

    def contact(self) -> str | None:
        profile = self.profile()
        return None if profile is None else self._organisations.contact(profile.id)

    def set_profile(
        self, kind: str | OrganisationKind, name: str, county: str, contact: str = ""
    ) -> Organisation:
        """Create (or replace) the station profile; checked, audited, one transaction."""
        try:
            checked_kind = OrganisationKind(kind)
        except ValueError:
            raise StationInputError("类型", f"未知的组织类型“{kind}”") from None
        if not name.strip():
            raise StationInputError("名称", "不能为空")
        code = check_county(county, "所在县")
        current = self.profile()
        organisation = Organisation(
            id=current.id if current else OWN_ORGANISATION_CODE,
            kind=checked_kind,
            name=name.strip(),
            county=code,
        )
        with self._database.transaction(self.actor):
            self._organisations.set_station_profile(organisation, contact.strip() or None)
        return organisation

    def use_existing(self, code: str) -> Organisation:
        """Make an organisation already in the database our own (e.g. T1 of the demo)."""
        organisation = self._organisations.get(code)
        if organisation is None:
            raise StationInputError("组织", f"组织{code}不存在")
        with self._database.transaction(self.actor):
            self._organisations.set_station_profile(organisation)
        return organisation
