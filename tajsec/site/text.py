"""Text helpers of the docs site: HTML escaping, slugs, numbers, and the little Markdown that the
headers of the question files use."""
from __future__ import annotations

import html
import re


def esc(s: object) -> str:
    return html.escape(str(s), quote=True)


def local_name(iri: str) -> str:
    return re.split(r"[/#]", iri)[-1]


def slug(name: str, keep_case: bool = False) -> str:
    s = re.sub(r"[^A-Za-z0-9_.-]+", "-", name if keep_case else name.lower()).strip("-.")
    return s or "x"


def fmt_number(text: str) -> str:
    try:
        x = float(text)
    except ValueError:
        return text
    if x == int(x) and "e" not in text.lower():
        return f"{int(x):,}"
    return f"{x:,}".rstrip("0").rstrip(".") if "." in f"{x:,}" else f"{x:,}"


def inline_md(text: str) -> str:
    s = esc(text)
    s = re.sub(r"`([^`]+)`", r"<code>\1</code>", s)
    s = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", s)
    s = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", s)
    s = re.sub(r"\[([^\]]+)\]\((https?://[^)\s]+)\)", r'<a href="\2">\1</a>', s)
    return s


def _strip_bullet(line: str) -> str:
    return re.sub(r"^\s*[-*]\s+", "", line)


def markdown(text: str, shift: int = 0) -> str:
    """The little Markdown the query headers use: headings, paragraphs, lists, code, bold, italics."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        if not lines:
            continue
        if block.startswith("```"):
            body = "\n".join(line for line in lines if not line.startswith("```"))
            out.append(f"<pre><code>{esc(body)}</code></pre>")
            continue
        m = re.match(r"(#{1,6})\s+(.*)", lines[0])
        if m:
            level = min(6, len(m.group(1)) + shift)
            out.append(f"<h{level}>{inline_md(m.group(2))}</h{level}>")
            lines = lines[1:]
            if not lines:
                continue
        if all(re.match(r"\s*[-*]\s+", line) for line in lines):
            items = "".join(f"<li>{inline_md(_strip_bullet(line))}</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append(f"<p>{inline_md(' '.join(line.strip() for line in lines))}</p>")
    return "\n".join(out)
