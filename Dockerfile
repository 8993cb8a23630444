# badgeforge: a small image that runs as a non-root user, migrates the database, then serves.
#   docker build -t badgeforge .
#   docker run -p 8000:8000 -v badgeforge-data:/data \
#     -e BADGEFORGE_PUBLIC_BASE_URL=https://badges.example.fr badgeforge
# Reproducible: every dependency comes from requirements/lock.txt, checked against its hashes;
# badgeforge itself is a regular (non-editable) install of the wheel built by scripts/wheel.
ARG PYTHON_IMAGE=python:3.11-slim

# --- build: a virtualenv holding the locked dependencies and the badgeforge wheel ---------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY requirements/lock.txt requirements/lock.txt
RUN python -m venv /opt/badgeforge \
    && /opt/badgeforge/bin/pip install --require-hashes --no-deps -r requirements/lock.txt
COPY pyproject.toml README.md ./
COPY scripts/wheel scripts/wheel
COPY src src
COPY migrations migrations
COPY badge_templates badge_templates
COPY vendor vendor
RUN PYTHON=/opt/badgeforge/bin/python bash scripts/wheel /tmp/wheels \
    && /opt/badgeforge/bin/pip install --no-deps /tmp/wheels/badgeforge-*.whl \
    && /opt/badgeforge/bin/pip uninstall --yes setuptools

# --- runtime: the virtualenv, fonts for rasterising badge text, and nothing else ---------------
FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/badgeforge/bin:$PATH \
    BADGEFORGE_DATA_DIR=/data

RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin badgeforge \
    && mkdir -p /app /data && chown badgeforge /data && chmod 700 /data

COPY --from=build /opt/badgeforge /opt/badgeforge
# Fails the build if the installed package cannot find its migrations, designs or Swagger UI.
RUN python -c "from badgeforge.app import create_app; from badgeforge.migrate import MIGRATIONS_DIR; \
from badgeforge.meta import SWAGGER_UI_DIR; from badgeforge.settings import Settings; \
assert (MIGRATIONS_DIR / 'env.py').is_file() and (SWAGGER_UI_DIR / 'swagger-ui-bundle.js').is_file(); \
assert any(Settings().badge_templates_dir.glob('*.svg'))"

WORKDIR /app
USER badgeforge
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"
CMD ["badgeforge", "serve", "--host", "0.0.0.0", "--port", "8000"]
