"""MkDocs hooks: thin wiring to kennisbank.engines.mkdocs_adapter (the logic is in the package)."""

from kennisbank.engines.mkdocs_adapter import KennisbankSite

_site = KennisbankSite()

on_startup = _site.on_startup
on_config = _site.on_config
on_files = _site.on_files
on_serve = _site.on_serve
on_env = _site.on_env
on_page_content = _site.on_page_content
on_post_page = _site.on_post_page
on_build_error = _site.on_build_error
on_post_build = _site.on_post_build
on_shutdown = _site.on_shutdown
