"""The migrations build the whole schema from empty, and the models agree with them."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from sharing.core.dbsetup import exists_on
from sharing.extensions import db
from sharing.instruments.models import Category

API_CATEGORY_SLUGS = [
    "electron-microscopy",
    "mass-spectrometry",
    "chromatography",
    "spectroscopy",
    "x-ray",
    "nmr",
    "sequencing",
    "ocean-observation",
    "underwater-vehicles",
    "acoustic-survey",
    "environmental-testing",
    "materials-testing",
    "other",
    "research-vessels",  # added with the cruises (migration 0032)
]


def test_the_categories_of_the_contract_exist(app):
    slugs = list(db.session.scalars(select(Category.slug).order_by(Category.position)))
    assert slugs == API_CATEGORY_SLUGS


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        only_here = exists_on(connection.dialect.name)
        opts = {"compare_type": False, "include_object": only_here}
        context = MigrationContext.configure(connection, opts=opts)
        differences = compare_metadata(context, db.metadata)
    assert differences == []
