"""Link previews in a real browser: hover, keyboard focus and touch, from a sub-path."""

from __future__ import annotations

import pytest


@pytest.fixture
def page(browser, served_basic):
    context = browser.new_context()
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.goto(served_basic + "guides/best/")
    yield opened
    assert dialogs == []  # no script from content ever ran
    context.close()


def test_hover_shows_the_card_as_text(page) -> None:
    page.hover("a.kb-wikilink:text('deploys')")
    card = page.locator(".kb-preview")
    card.wait_for(state="visible")
    assert card.locator(".kb-preview__title").text_content() == "Deploying <img src=x onerror=alert(1)> safely"
    assert card.locator("img").count() == 0
    assert card.locator(".kb-badge").text_content() == "Verified"
    assert card.locator(".kb-chip").all_text_contents() == ["Operations", "Kubernetes", "Brand New Topic"]
    assert page.get_attribute("a.kb-wikilink:text('deploys')", "aria-describedby") == "kb-preview"
    page.mouse.move(0, 0)
    card.wait_for(state="hidden")


def test_keyboard_focus_shows_the_card_and_escape_hides_it(page) -> None:
    page.focus("a.kb-wikilink:text('runbook › Rollback')")
    card = page.locator(".kb-preview")
    card.wait_for(state="visible")
    assert card.locator(".kb-preview__title").text_content() == "Runbook for rollbacks"
    assert card.locator(".kb-preview__summary").text_content() == "The first paragraph becomes the summary when there is none."
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")


def test_people_and_topic_links_have_cards_too(page) -> None:
    page.focus(".kb-header a:text('Bob <b>Builder</b>')")
    page.locator(".kb-preview__title:text('Bob <b>Builder</b>')").wait_for(state="visible")
    page.focus(".kb-chip:text('Operations')")
    page.locator(".kb-preview__title:text('Operations')").wait_for(state="visible")


def test_touch_first_tap_previews_second_tap_follows(browser, served_basic) -> None:
    context = browser.new_context(has_touch=True, is_mobile=True, viewport={"width": 400, "height": 800})
    page = context.new_page()
    page.goto(served_basic + "guides/best/")
    link = "a.kb-wikilink:text('deploys')"
    page.tap(link)
    card = page.locator(".kb-preview")
    card.wait_for(state="visible")
    assert page.url.endswith("/wiki/guides/best/")
    assert card.locator(".kb-preview__open").get_attribute("href").endswith("/wiki/guides/deploy/")
    page.tap(link)
    page.wait_for_url("**/wiki/guides/deploy/")
    context.close()


def test_cards_come_from_the_right_shard_in_a_large_wiki(browser, tmp_path_factory) -> None:
    """With hundreds of pages the cards are split over many files; the browser must compute
    the same shard as the build for every page."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from kb.render.emit import preview_shard_count, preview_shard_path

    from conftest import commit_all, mkdocs_build

    root = tmp_path_factory.mktemp("large")
    (root / "mkdocs.yml").write_text("site_name: Large\ndocs_dir: docs\ntheme: material\nplugins: [kb]\n", encoding="utf-8")
    (root / "docs").mkdir()
    names = [f"Page {number:03d} ünïcode" for number in range(300)]
    for number, name in enumerate(names):
        links = " ".join(f"[[{names[(number + step) % 300]}]]" for step in (1, 2, 3, 4))
        (root / "docs" / f"page-{number:03d}-ü.md").write_text(f"---\ntitle: {name}\n---\n{links}\n", encoding="utf-8")
    commit_all(root)
    assert mkdocs_build(root).returncode == 0
    count = preview_shard_count(300 + 3)
    assert count > 1
    shards = {preview_shard_path(f"page-{n:03d}-ü/", count) for n in range(1, 5)}
    assert len(shards) > 1  # the four links below land in different shards

    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root / "site"))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/page-000-%C3%BC/")
        for step in (1, 2, 3, 4):
            page.focus(f"a.kb-wikilink:text('{names[step]}')")
            page.locator(f".kb-preview__title:text('{names[step]}')").wait_for(state="visible")
        page.close()
    finally:
        server.shutdown()
