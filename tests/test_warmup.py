"""A web process compiles its templates and imports its views before its first request
(common/warmup.py, called by config/wsgi.py)."""

from django.template import engines
from django.urls import clear_url_caches, get_resolver

from common.warmup import warm_up


def _forget_compiled() -> None:
    engines["django"].engine.template_loaders[0].reset()
    engines["jinja2"].env.cache.clear()
    clear_url_caches()


def test_every_template_is_compiled_before_the_first_request():
    _forget_compiled()
    cached = engines["django"].engine.template_loaders[0].get_template_cache
    assert "base.html" not in cached

    warm_up()

    # A page's layout, a letter, an email, one of allauth's pages and the queue's Jinja rows.
    for name in [
        "base.html",
        "reviews/queue.html",
        "account/login.html",
        "admin/base_site.html",
    ]:
        assert name in cached, name
    assert "reviews/queue_body.html" in {name for _loader, name in engines["jinja2"].env.cache}


def test_templates_of_apps_not_installed_are_passed_over_not_fatal():
    _forget_compiled()
    skipped = warm_up()
    # allauth ships social-account snippets; its social accounts are not installed here.
    assert skipped
    assert all(name.startswith("socialaccount/") for name in skipped)


def test_the_urlconf_and_every_view_is_imported_by_the_warm_up():
    _forget_compiled()
    assert "url_patterns" not in get_resolver().__dict__
    warm_up()
    assert "url_patterns" in get_resolver().__dict__  # the cached property, read
