# syntax=docker/dockerfile:1
#
# The RKCP image: one image for every process (web, Celery worker, beat, migrations); the command
# chooses the role. See docs/operations.md.

# --- Front-end assets ------------------------------------------------------------------------------
# USWDS and htmx come from npm and are not committed; Node is needed only to build them into
# static/vendor/ (USWDS's stylesheet compiled from its Sass), so it stays in this stage and never
# reaches the runtime image.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY scripts/build-assets.mjs scripts/
COPY assets/ assets/
RUN npm run build

# --- Runtime ---------------------------------------------------------------------------------------
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DJANGO_ENV=production \
    PRIVATE_MEDIA_ROOT=/var/lib/rkcp/private-media
# gunicorn reads its worker count from here; set it per host (about 2 x CPU cores + 1).
ENV WEB_CONCURRENCY=3

# WeasyPrint lays out letters with Pango; harfbuzz-subset embeds only the glyphs used (without it
# rendering is about 2.5x slower); fontconfig builds the system font cache here, once, rather than
# in every new container.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fontconfig \
        fonts-dejavu-core \
        fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --gid 10001 rkcp \
    && useradd --uid 10001 --gid rkcp --create-home --shell /usr/sbin/nologin rkcp \
    && mkdir -p /var/lib/rkcp/private-media \
    && chown rkcp:rkcp /var/lib/rkcp/private-media

WORKDIR /app

# Every package is pinned by hash. The production lock holds the service's packages only, at the
# versions the full lock (tests, lint, benchmarks) pins, so production and CI run the same versions
# without the image carrying test tools (`make lock` writes both; a test holds them together).
COPY requirements.prod.lock ./
RUN pip install --require-hashes -r requirements.prod.lock

COPY . .
COPY --from=assets /build/static/vendor static/vendor/

# Settings refuse to load in production without their services; these values exist only so that
# collectstatic can import them during the build. Nothing connects to them and none is kept.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    CELERY_BROKER_URL=memory:// \
    CACHE_URL=locmemcache:// \
    EMAIL_URL=consolemail:// \
    RKCP_FIELD_ENCRYPTION_KEYS=YnVpbGQtb25seS1ub3QtYS1rZXktbmV2ZXIta2VwdCE= \
    RKCP_BLIND_INDEX_KEY=build-only-not-a-key-never-kept-anywhere \
    python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3

# The code and static files stay owned by root: the app may read them, never change them.
USER 10001:10001

EXPOSE 8000

# The probe speaks plain HTTP from inside the container, so it names a host Django allows and says
# the request came through TLS; otherwise a production container behind a TLS proxy
# (DJANGO_BEHIND_TLS_PROXY) would answer it with a redirect to https.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; hosts = [h.strip().lstrip('.') for h in os.environ.get('DJANGO_ALLOWED_HOSTS', '').split(',') if h.strip() not in ('', '*')]; r.urlopen(r.Request('http://127.0.0.1:8000/healthz', headers={'Host': (hosts or ['localhost'])[0], 'X-Forwarded-Proto': 'https'}), timeout=4)"]

# /dev/shm for gunicorn's worker heartbeat files: a container's overlay filesystem can stall them.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-"]
