import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Every view imported and every template compiled before the first request (common/warmup.py).
from common.warmup import warm_up  # noqa: E402 - needs the settings get_wsgi_application loaded

warm_up()
