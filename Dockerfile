# badgeforge: a small image that runs as a non-root user, migrates the database, then serves.
#   docker build -t badgeforge .
#   docker run -p 8000:8000 -v badgeforge-data:/data \
#     -e BADGEFORGE_PUBLIC_BASE_URL=https://badges.example.fr badgeforge
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BADGEFORGE_DATA_DIR=/data

# Fonts for the text of SVG badge images when they are rasterised to PNG.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin badgeforge \
    && mkdir -p /data && chown badgeforge /data

WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY src ./src
COPY migrations ./migrations
COPY badge_templates ./badge_templates
COPY vendor ./vendor
RUN pip install -e . && python -c "import badgeforge.app"

USER badgeforge
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"
CMD ["badgeforge", "serve", "--host", "0.0.0.0", "--port", "8000"]
