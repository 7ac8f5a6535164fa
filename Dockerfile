# One image for every ledger service of docker-compose.yml (migrate, seed, api, projector).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# DejaVu for the dossier PDF (api/http/render.py looks for it): Swedish letters, dashes, quotes.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The dossier's PDF: Pango for WeasyPrint's layout and the DejaVu fonts it embeds.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
# The exact, hash-checked versions CI tested (`make lock`), then the project without resolving.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY domain ./domain
COPY projections ./projections
COPY api ./api
# /run/ledger (tokens, signing key, SQLite if used) belongs to the user the services run as:
# a new named volume mounted there takes this directory's owner and mode.
RUN pip install --no-deps --no-build-isolation . \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin ledger \
    && mkdir -p /run/ledger && chown ledger:ledger /run/ledger && chmod 0700 /run/ledger
USER ledger
VOLUME ["/run/ledger"]
EXPOSE 8000
CMD ["ledger", "serve", "--host", "0.0.0.0", "--port", "8000"]
