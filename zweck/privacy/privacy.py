"""Register declarations for the register's own rows: they describe processing, they hold no
one's personal data beyond the staff author stamps every workspace row carries."""

from zweck.privacy import models as privacy
from zweck.privacy.register import NOT_PERSONAL, base_fields, register

register.declare(
    privacy.RetentionRule,
    fields=base_fields(
        key=NOT_PERSONAL,
        name_en=NOT_PERSONAL,
        name_de=NOT_PERSONAL,
        years=NOT_PERSONAL,
        months=NOT_PERSONAL,
        days=NOT_PERSONAL,
        counts_from=NOT_PERSONAL,
        from_end_of_year=NOT_PERSONAL,
        statutory=NOT_PERSONAL,
        legal_source_en=NOT_PERSONAL,
        legal_source_de=NOT_PERSONAL,
    ),
)
register.declare(
    privacy.ProcessingActivity,
    fields=base_fields(
        key=NOT_PERSONAL,
        name_en=NOT_PERSONAL,
        name_de=NOT_PERSONAL,
        purpose_en=NOT_PERSONAL,
        purpose_de=NOT_PERSONAL,
        legal_basis=NOT_PERSONAL,
        legitimate_interest_en=NOT_PERSONAL,
        legitimate_interest_de=NOT_PERSONAL,
        special_category_condition=NOT_PERSONAL,
        subject_categories=NOT_PERSONAL,
        data_categories=NOT_PERSONAL,
        recipient_categories_en=NOT_PERSONAL,
        recipient_categories_de=NOT_PERSONAL,
        provision_en=NOT_PERSONAL,
        provision_de=NOT_PERSONAL,
        retention=NOT_PERSONAL,
        data_use=NOT_PERSONAL,
    ),
)
register.declare(
    privacy.Recipient,
    # Recipients are companies and authorities, named by their business name.
    fields=base_fields(
        name=NOT_PERSONAL,
        role=NOT_PERSONAL,
        service_en=NOT_PERSONAL,
        service_de=NOT_PERSONAL,
        country=NOT_PERSONAL,
        safeguard=NOT_PERSONAL,
        safeguard_date=NOT_PERSONAL,
    ),
)
register.declare(
    privacy.Recipient.activities.through,
    fields={"id": NOT_PERSONAL, "recipient": NOT_PERSONAL, "processingactivity": NOT_PERSONAL},
)
register.declare(
    privacy.SecurityMeasure,
    fields=base_fields(
        key=NOT_PERSONAL,
        title_en=NOT_PERSONAL,
        title_de=NOT_PERSONAL,
        description_en=NOT_PERSONAL,
        description_de=NOT_PERSONAL,
    ),
)
