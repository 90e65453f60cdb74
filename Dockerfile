FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    RECWATCH_DATA_DIR=/data

WORKDIR /app
# The locked versions first (a layer that changes only with the lock), then the package itself.
COPY requirements/serve.txt ./requirements/serve.txt
RUN pip install --no-cache-dir -r requirements/serve.txt
COPY pyproject.toml README.md alembic.ini ./
COPY service ./service
COPY scrapers ./scrapers
COPY migrations ./migrations
RUN pip install --no-cache-dir --no-deps . && useradd --system --home /data recwatch \
    && mkdir -p /data && chown recwatch /data

USER recwatch
VOLUME ["/data"]
EXPOSE 8000
CMD ["recwatch", "serve", "--host", "0.0.0.0"]
