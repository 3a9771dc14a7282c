"""The advert's formatting, in the form each board accepts: the same mapping for every board.

Our advert is sanitised HTML (`recruitment.html.ADVERT_TAGS`: paragraphs, headings, lists, emphasis, links). A board
that takes HTML gets it in the tags it allows (`advert_as_html`: headings it lacks become bold paragraphs, <b>/<i>
become <strong>/<em>, anything else is unwrapped, its text kept); a board that takes plain text gets one line per
paragraph and heading, list items as "• " lines (numbered lists "1. "), a blank line between blocks
(`advert_as_text`). A board that takes HTML but whose form field holds text (so recruiters edit words, not tags)
gets the text turned back into HTML (`text_as_html`), and `advert_as_text(text_as_html(text)) == text`.
Pure functions: no database, no settings.
"""

import html
import re
from html.parser import HTMLParser

import nh3

BULLET = "• "
_CONTAINERS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol"}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_NUMBERED = re.compile(r"^\d+\.\s+")


class _TextRenderer(HTMLParser):
    """Walks sanitised advert HTML and collects its plain-text lines, grouped by block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.groups: list[list[str]] = []
        self.current: list[str] = []
        self.lists: list[list[int]] = []  # a counter per open list; [-1] for a bulleted list
        self.new_group = True

    def _end_line(self) -> None:
        line = " ".join("".join(self.current).split())
        self.current = []
        if not line:
            return
        if self.new_group or not self.groups:
            self.groups.append([])
            self.new_group = False
        self.groups[-1].append(line)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _CONTAINERS or tag in ("li", "br"):
            self._end_line()
        if tag in _CONTAINERS and not (tag in ("ul", "ol") and self.lists):
            self.new_group = True
        if tag == "ul":
            self.lists.append([-1])
        elif tag == "ol":
            self.lists.append([0])
        elif tag == "li":
            counter = self.lists[-1] if self.lists else [-1]
            if counter[0] >= 0:
                counter[0] += 1
                self.current.append(f"{counter[0]}. ")
            else:
                self.current.append(BULLET)

    def handle_endtag(self, tag: str) -> None:
        if tag in _CONTAINERS or tag == "li":
            self._end_line()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag in _CONTAINERS and not self.lists:
            self.new_group = True

    def handle_data(self, data: str) -> None:
        self.current.append(data)


def advert_as_text(advert_html: str) -> str:
    """The advert as plain text (see the module): lines of one paragraph or list together, blocks apart."""
    renderer = _TextRenderer()
    renderer.feed(advert_html or "")
    renderer.close()
    renderer._end_line()
    return "\n\n".join("\n".join(lines) for lines in renderer.groups)


def advert_as_html(advert_html: str, *, tags: frozenset[str]) -> str:
    """The advert in the tags a board allows (see the module); links keep only their href."""
    value = advert_html or ""
    value = re.sub(r"<(/?)b>", r"<\1strong>", value)
    value = re.sub(r"<(/?)i>", r"<\1em>", value)
    if "blockquote" not in tags:
        value = re.sub(r"<(/?)blockquote>", r"<\1p>", value)
    for heading in _HEADINGS:
        if heading not in tags:
            value = re.sub(rf"<{heading}>", "<p><strong>", value)
            value = re.sub(rf"</{heading}>", "</strong></p>", value)
    attributes = {"*": set(), **({"a": {"href"}} if "a" in tags else {})}
    return nh3.clean(value, tags=set(tags), attributes=attributes, link_rel=None).strip()


def text_as_html(text: str) -> str:
    """Plain advert text (as `advert_as_text` writes it, or as a recruiter edited it) as simple HTML: a <ul> for a
    block of "• " lines, an <ol> for a block of "1. " lines, else a <p> with <br> between its lines. Escaped."""
    parts = []
    for block in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith(BULLET.strip()) for line in lines):
            items = "".join(f"<li>{html.escape(line[1:].strip())}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        elif all(_NUMBERED.match(line) for line in lines):
            items = "".join(f"<li>{html.escape(_NUMBERED.sub('', line))}</li>" for line in lines)
            parts.append(f"<ol>{items}</ol>")
        else:
            parts.append(f"<p>{'<br>'.join(html.escape(line) for line in lines)}</p>")
    return "".join(parts)
