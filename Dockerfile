# The image compose.yaml runs as the app, the worker and the one-off migration.
FROM python:3.11-slim

# ffmpeg makes video and audio previews (media/processing.py).
RUN apt-get update -q && apt-get install -y -q --no-install-recommends ffmpeg \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 STATIC_MANIFEST=1 STATIC_ROOT=/app/staticfiles

# Dependencies first (pyproject.toml lists no packages of its own), so code edits keep the layer.
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .

COPY . .
# Compressed, content-hashed static files for WhiteNoise, baked into the image.
RUN python manage.py collectstatic --noinput -v 0

RUN useradd --create-home --uid 1000 duostatus && mkdir -p /data/media \
    && chown duostatus /data/media
USER duostatus
ENV HOST=0.0.0.0 PORT=8000 MEDIA_ROOT=/data/media
EXPOSE 8000
CMD ["python", "-m", "config.serve"]
