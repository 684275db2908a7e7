"""The text a person reads on a page: the body's text without scripts, styles and what sits in
form fields (a textarea's content, an input's value are the person's own, not the page's)."""

from html.parser import HTMLParser

SKIPPED = {"head", "script", "style", "textarea", "template"}
# Elements that end a line of text: what follows them is read as a new line.
LINE_ENDS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dt", "dd", "caption"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in SKIPPED and self.depth:
            self.depth -= 1
        if tag in LINE_ENDS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.depth and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    """The text, words joined by spaces, a new line after each paragraph, heading or cell."""
    parser = _Text()
    parser.feed(html)
    return "\n".join(line.strip() for line in " ".join(parser.parts).split("\n") if line.strip())
