"""Static files under hashed names, compressed, in the demo as in production."""

from whitenoise.storage import CompressedManifestStaticFilesStorage  # type: ignore[import-untyped]


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage (hashed names; Brotli and gzip copies made by collectstatic), whose
    URLs name the hashed file with DEBUG on too. Django's manifest storage gives the plain name
    while DEBUG is on; `make demo` runs with DEBUG on (its seed commands require it) yet should
    serve what production serves: files WhiteNoise marks cacheable for a year and sends
    compressed."""

    def url(self, name: str, force: bool = False) -> str:
        return super().url(name, force=True)
