"""tajsec: a linked-data knowledge graph of Tajikistan's security sector, built from one paper."""
from importlib.metadata import PackageNotFoundError, version

# The one source of the version is pyproject.toml; this reads it back from the installed metadata.
try:
    __version__ = version("tajsec")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
