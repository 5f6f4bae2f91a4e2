"""The 组织 page: the partner organisations (劳务中介, 就业帮扶车间, 工作站, 零工市场/驿站) and
新增组织… — so a new station can register the broker a 点对点 batch needs."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zwdesk.domain.model import Organisation, OrganisationKind
from zwdesk.domain.regions import lookup_region
from zwdesk.services.organisation_service import OrganisationService
from zwdesk.ui.form_fields import FormDialog, county_code, county_picker, named
from zwdesk.ui.i18n import tr, translatable
from zwdesk.ui.operation_bus import OperationBus

ORGANISATION_OPERATION = "组织"
COLUMNS = (
    translatable("编号"),
    translatable("类型"),
    translatable("名称"),
    translatable("所在县"),
    translatable("联系方式"),
)


class NewOrganisationDialog(FormDialog[Organisation]):
    """新增组织: code, kind, name, county and contact; saved only when every field is valid."""

    def __init__(self, service: OrganisationService, parent: QWidget | None = None) -> None:
        super().__init__(tr("新增组织"), parent)
        self._service = service
        self.code = named(QLineEdit(), "code")
        self.code.setPlaceholderText(tr("如：Z01，与导入表“组织”页的编号一致"))
        self.kind = named(QComboBox(), "kind")
        for kind in OrganisationKind:
            self.kind.addItem(tr(kind.label), kind.value)
        broker = self.kind.findData(OrganisationKind.BROKER.value)
        self.kind.setCurrentIndex(max(broker, 0))
        self.name = named(QLineEdit(), "name")
        self.name.setPlaceholderText(tr("如：中卫市某某劳务服务有限公司"))
        self.county = named(county_picker(optional=True), "county")
        self.contact = named(QLineEdit(), "contact")
        self.contact.setPlaceholderText(tr("联系人及电话，可留空"))
        self.add_field("编号", tr("编号(&D)"), self.code)
        self.add_field("类型", tr("类型(&K)"), self.kind)
        self.add_field("名称", tr("名称(&N)"), self.name)
        self.add_field("所在县", tr("所属县区(&C)"), self.county)
        self.add_field("联系方式", tr("联系方式(&T)"), self.contact)
        self.code.textChanged.connect(self.check)
        self.name.textChanged.connect(self.check)
        self.check()
        self.code.setFocus()

    def check(self) -> bool:
        for message in self.messages.values():
            message.show_problem(None)
        valid = bool(self.code.text().strip()) and bool(self.name.text().strip())
        self.ok_button.setEnabled(valid)
        return valid

    def write(self) -> Organisation:
        return self._service.add(
            self.code.text(),
            str(self.kind.currentData()),
            self.name.text(),
            county_code(self.county),
            self.contact.text(),
        )


def _county_text(code: str | None) -> str:
    if not code:
        return ""
    region = lookup_region(code)
    return f"{region.full_name}（{code}）" if region else code


class OrganisationsView(QWidget):
    """A table of every organisation and a button to register a new one."""

    def __init__(
        self,
        organisation_service: OrganisationService,
        bus: OperationBus,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = organisation_service
        self._bus = bus
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.add_button = named(QPushButton(tr("新增组织…")), "add_organisation")
        self.add_button.clicked.connect(self.add_organisation)
        bar.addWidget(self.add_button)
        bar.addStretch(1)
        self.count_label = named(QLabel(), "organisation_count")
        bar.addWidget(self.count_label)
        layout.addLayout(bar)
        self.table = named(QTableWidget(0, len(COLUMNS)), "organisations")
        self.table.setHorizontalHeaderLabels([tr(title) for title in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        bus.operation_done.connect(self._on_operation)
        self.refresh()

    def _on_operation(self, _operation: str) -> None:
        self.refresh()

    def refresh(self) -> None:
        entries = self._service.list()
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            organisation = entry.organisation
            name = organisation.name + (tr("（本站）") if entry.own else "")
            cells = (
                organisation.id,
                tr(organisation.kind.label),
                name,
                _county_text(organisation.county),
                entry.contact or "",
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.count_label.setText(tr("共 {count} 个组织").format(count=len(entries)))

    def new_dialog(self) -> NewOrganisationDialog:
        """The 新增组织 dialog (tests fill it in without exec)."""
        return NewOrganisationDialog(self._service, self)

    def add_organisation(self) -> None:
        dialog = self.new_dialog()
        if dialog.exec() and dialog.saved is not None:
            self.after_save()

    def after_save(self) -> None:
        self._bus.announce(ORGANISATION_OPERATION)
