# komhen-live: one image for the worker, the ingest service and the simulator (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    KOMHEN_SCHEMAS_DIR=/app/schemas \
    KOMHEN_DEPLOY_DIR=/app/deploy \
    KOMHEN_DATA_DIR=/data

WORKDIR /app
# Installed as a package, the code cannot find the repository's schemas/ next to itself:
# KOMHEN_SCHEMAS_DIR and KOMHEN_DEPLOY_DIR (target files, simulator profiles) point at the copies below.
COPY pyproject.toml README.md ./
COPY streams ./streams
RUN pip install .
COPY schemas ./schemas
COPY deploy ./deploy

RUN useradd --system --uid 10001 --home-dir /data --create-home komhen
USER komhen
EXPOSE 6066 8080
CMD ["komhen", "worker"]
