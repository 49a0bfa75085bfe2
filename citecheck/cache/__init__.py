"""Caches: the SQLite store (`store`) shared by link, archive and identifier results, and the
parsed reports kept in it (`documents`)."""
