"""eventkg: the records of events of intergovernmental bodies as a knowledge graph, every fact with the
quote that supports it. Load -> validate -> store -> query / export / serve."""

from .config import Settings, load_settings
from .errors import (ConfigError, EventKGError, LoadError, NotConformingError, QueryError, QueryTimeout,
                     RecordError, RecordNotFound, StoreError, UnknownFormatError)
from .export import serialize_graph, write_export
from .load import Record, records_from_bytes, records_from_file
from .project import Project
from .queries import NamedQuery, library
from .records import add, rebuild, remove
from .store import Boolean, EmbeddedStore, Rows, Store, Triples, open_store
from .validate import ValidationReport, Validator

__version__ = "0.1.0"

__all__ = [
    "Settings", "load_settings", "Project", "EventKGError", "ConfigError", "LoadError", "UnknownFormatError",
    "NotConformingError", "QueryError", "QueryTimeout", "RecordError", "RecordNotFound", "StoreError",
    "Record", "records_from_bytes", "records_from_file", "Store", "EmbeddedStore", "open_store", "Rows",
    "Boolean", "Triples", "NamedQuery", "library", "add", "rebuild", "remove", "write_export", "serialize_graph",
    "Validator", "ValidationReport", "__version__",
]
