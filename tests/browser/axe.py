"""axe-core (node_modules/axe-core) run inside the page: WCAG 2.x A and AA rules, up to 2.2 AA.

The app's Content-Security-Policy allows scripts only from 'self' or with the page's nonce,
so Playwright's add_script_tag (an inline script without the nonce) is blocked; axe is
evaluated through the DevTools protocol instead (page.evaluate of the file's text), which the
CSP does not govern, so the page is checked under its real policy."""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}


def violations(page) -> list[dict]:
    """axe's violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary)
            }));
        }""",
        TAGS,
    )


def describe(found: list[dict]) -> str:
    return "\n".join(
        f"  [{v['impact']}] {v['id']}: {v['help']}\n" + "\n".join(f"      {n}" for n in v["nodes"])
        for v in found
    )


def assert_accessible(page, what: str = "") -> None:
    """0 serious or critical violations on the page; the rest are printed (pytest -s shows them)."""
    found = violations(page)
    label = what or page.url
    blocking = [v for v in found if v["impact"] in BLOCKING]
    others = [v for v in found if v["impact"] not in BLOCKING]
    print(f"axe: {len(found)} violations ({len(blocking)} serious or critical) on {label}")
    if others:
        print(f"axe, minor or moderate, on {label}:\n{describe(others)}")
    assert not blocking, f"axe: serious or critical violations on {label}:\n{describe(blocking)}"
