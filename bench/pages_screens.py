"""Every page bench/pages.py times, opened in real headless Chromium as its person (the same sessions): a full-page
screenshot at 1,280 and 390 px wide, and axe-core's WCAG 2.1 A/AA check of each, at the size of the benchmark's
round (--screenshots DIR). Debian's Chromium at /usr/bin/chromium; axe-core from `npm install`."""

from __future__ import annotations

import re
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 390)
# The outermost elements that reach past the window's right edge outside a scrolling box, as tag#id.class: what
# makes a page scroll sideways.
TOO_WIDE = """() => {
  const out = [];
  const scrolls = (e) => { for (let p = e.parentElement; p; p = p.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true; } return false; };
  for (const e of document.body.querySelectorAll('*')) {
    if (e.getBoundingClientRect().right > window.innerWidth + 1 && !scrolls(e)
        && !(e.parentElement && e.parentElement.getBoundingClientRect().right > window.innerWidth + 1)) {
      const classes = e.className ? '.' + String(e.className).split(' ').join('.') : '';
      const text = (e.textContent || '').trim().slice(0, 40);
      out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + classes + ' ' + text);
    }
  }
  return out.slice(0, 5);
}"""


def _name(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def screenshots(port: int, pages, sessions: dict[str, str], out: Path) -> list[dict]:
    """A row per page: its label, status, the screenshots' paths, whether it scrolls sideways at each width, and
    the axe violations (rule ids) at 1,280 px."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for page_spec in pages:
                row = {"label": page_spec.label, "shots": [], "sideways": [], "violations": []}
                for width in WIDTHS:
                    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
                    context.add_cookies(
                        [{"name": "sessionid", "value": sessions[page_spec.role], "url": f"http://127.0.0.1:{port}"}]
                    )
                    page = context.new_page()
                    try:
                        response = page.goto(f"http://127.0.0.1:{port}{page_spec.url}", timeout=120_000)
                    except PlaywrightError as error:
                        if "Download is starting" not in str(error):
                            raise
                        response = None  # a CSV or PDF, served as a download
                    row["status"] = response.status if response else "download"
                    if "html" not in ((response and response.headers.get("content-type")) or ""):
                        context.close()
                        break  # nothing to look at
                    shot = out / f"{_name(page_spec.label)}-{width}.png"
                    page.screenshot(path=str(shot), full_page=True)
                    row["shots"].append(str(shot))
                    if page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1"):
                        row["sideways"].append(width)
                        row.setdefault("too_wide", {})[width] = page.evaluate(TOO_WIDE)
                    if width == WIDTHS[0] and AXE.exists():
                        page.add_script_tag(path=str(AXE))
                        found = page.evaluate(
                            "() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})"
                        )
                        row["violations"] = [
                            f"{v['id']} at {' '.join(v['nodes'][0]['target'])}" for v in found["violations"]
                        ]
                    context.close()
                rows.append(row)
                sideways = f", scrolls sideways at {row['sideways']}: {row.get('too_wide')}" if row["sideways"] else ""
                print(
                    f"  {page_spec.label}: {row.get('status')}, {len(row['shots'])} screenshots{sideways}"
                    f"{', axe: ' + ', '.join(row['violations']) if row['violations'] else ''}",
                    flush=True,
                )
        finally:
            browser.close()
    return rows
