"""A person's path through the site, in a real headless Chromium (Debian's ``chromium``, driven by
Playwright): the index, the workshop, a supporter's quote marked, a named query run from the query page."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Iterator

import pytest

from httpsite import Running, site  # noqa: F401

CHROMIUM = os.environ.get("EVENTKG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

sync_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():  # `make test` installs it (make system-deps)
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def page(site: Running) -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            pg = browser.new_page(viewport={"width": 1280, "height": 1000})
            pg.set_default_timeout(20_000)
            yield pg
        finally:
            browser.close()


def test_index_to_workshop_to_quote_to_named_query(page, site: Running, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(site.url + "/")
    assert page.title().startswith("eventkg")
    page.click("a.event >> text=Regional Workshop on Prevention Strategies")
    page.wait_for_load_state()
    assert "/doc/id/event/aichr-tip-workshop-2018.html" in page.url
    assert page.inner_text("h1").startswith("Regional Workshop on Prevention Strategies")

    # the sponsor row: the supporter's quote is there, marked
    row = page.locator("table.props tr", has=page.locator("th a.prop", has_text="sponsor"))
    mark = row.locator("mark.quote", has_text="Embassy of Turkey in Hanoi").first
    mark.scroll_into_view_if_needed()
    assert mark.is_visible()
    background = mark.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    page.screenshot(path=str(tmp_path / "workshop.png"))

    # follow the quote into the document: the passage is singled out
    row.locator("a.in-source").first.click()
    page.wait_for_load_state()
    target = page.locator("mark.target").first
    assert target.is_visible()
    assert "/doc/id/document/" in page.url

    # the query page: run a named query and see its rows
    page.click("header nav >> text=Query")
    page.wait_for_load_state()
    form = page.locator("form.named-query").first
    title = form.locator("h3").inner_text()
    form.locator("button").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    rows = page.locator("table.results tbody tr")
    assert rows.count() > 0
    assert page.locator("table.results tbody td").first.inner_text().strip()
    page.screenshot(path=str(tmp_path / "query.png"), full_page=True)
    keep = os.environ.get("EVENTKG_SCREENSHOTS")
    if keep:
        for f in tmp_path.glob("*.png"):
            shutil.copy(f, Path(keep) / f"{site.project.store.info.kind}-{f.name}")
