"""citecheck: check the citations of a report before it is published."""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/citecheck/citecheck"
