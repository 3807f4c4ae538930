"""How `zhen glossary` shows an entry: a line, a block, or a JSON object."""

from __future__ import annotations

from zhen import glossary
from zhen.models import Term
from zhen.text.safetext import json_text, visible


def term_json(term: Term) -> dict:
    """An entry as `--json` lists it."""
    return {
        "id": term.id,
        "zh": term.zh,
        "zh_traditional": glossary.traditional_form(term.zh),
        "en": term.en,
        "variants": term.variants,
        "forbidden": term.forbidden,
        "status": term.status,
        "checked": term.checked,
        "domain": term.domain,
        "note": term.note,
        "pos": term.pos,
        "sources": term.sources,
        "created_at": term.created_at,
        "changed_at": term.changed_at,
    }


def print_json(data: object) -> None:
    """`data` as indented JSON on stdout, control characters escaped."""
    print(json_text(data, indent=2))


def one_line(term: Term) -> str:
    """An entry as `glossary list` shows it."""
    extra = f"  (also: {'; '.join(term.variants)})" if term.variants else ""
    lookup_only = "" if term.checked else "  [lookup-only]"
    return visible(f"{term.id:>5}  {term.status:<8}  {term.zh}  →  {term.en}{extra}{lookup_only}")


def print_entry(term: Term) -> None:
    """An entry as `glossary show` shows it, one field a line."""
    traditional = glossary.traditional_form(term.zh)
    heading = term.zh + (f" ({traditional})" if traditional != term.zh else "")
    print(visible(f"{heading}  [id {term.id}]"))
    print(visible(f"  English:    {term.en}"))
    rows = [
        ("variants", "; ".join(term.variants)),
        ("forbidden", "; ".join(term.forbidden)),
        ("status", term.status),
        ("check", None if term.checked else "no: lookup-only, not required in drafts"),
        ("domain", term.domain),
        ("pos", term.pos),
        ("note", term.note),
        ("sources", "; ".join(term.sources)),
        ("changed", term.changed_at),
    ]
    for label, value in rows:
        if value:
            print(visible(f"  {label.capitalize() + ':':<11} {value}"))
