from tests.storage.databases import database_url, db  # noqa: F401  (fixtures shared with tests/storage)
