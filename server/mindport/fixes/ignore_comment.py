"""The ``# mindport: ignore[CODE]`` comment that silences one finding on one line.

Appending a comment is only safe where a comment can stand: not at the end of a line that a
multi-line string (or f-string) continues past, and not after a backslash continuation. Such
lines, and the comments already there, come from one tokenize pass per text (cached), so a
code-action request for one line does not parse the whole file again.
"""

from __future__ import annotations

import re
import tokenize
from dataclasses import dataclass
from functools import lru_cache

from mindport.text import Position, Span, TextEdit, line_reader, split_lines

# ``[^[\]]``: a failed scan stops at the next ``[``, where the next attempt starts (linear).
_IGNORE_CODES = re.compile(r"mindport:\s*ignore\[([^\[\]]*)\]")

# Tokens that span lines without putting the line ends inside them.
_LINE_TOKENS = {tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT}
_FSTRING_START = getattr(tokenize, "FSTRING_START", None)  # Python 3.12+
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)


@dataclass(frozen=True, slots=True)
class CommentRoom:
    """Where a text has room for a comment. Lines are 0-based, columns code points."""

    no_room: frozenset[int]  # line ends inside a string, or after a backslash continuation
    comments: dict[int, tuple[int, str]]  # line -> (column, text) of the comment ending it
    complete: bool  # False: tokenize stopped early (half-typed code), later lines unknown


@lru_cache(maxsize=8)
def comment_room(text: str) -> CommentRoom:
    continued = {i for i, line in enumerate(split_lines(text)) if line.endswith("\\")}
    no_room: set[int] = set()
    comments: dict[int, tuple[int, str]] = {}
    open_fstrings: list[int] = []  # start lines of the f-strings being read
    complete = True
    try:
        # tokenize numbers lines from 1.
        for token in tokenize.generate_tokens(line_reader(text)):
            kind, (start, column), (end, _) = token.type, token.start, token.end
            if kind == tokenize.COMMENT:
                comments[start - 1] = (column, token.string)
            elif kind == _FSTRING_START:
                open_fstrings.append(start)
            elif kind == _FSTRING_END and open_fstrings:
                no_room.update(range(open_fstrings.pop() - 1, end - 1))
            elif kind not in _LINE_TOKENS and end > start:
                no_room.update(range(start - 1, end - 1))
    except (tokenize.TokenError, SyntaxError):
        complete = False
    # A backslash ends a continued line, unless it is the last character of a comment.
    no_room.update(line for line in continued if line not in comments)
    return CommentRoom(frozenset(no_room), comments, complete)


def disable_edit(text: str, line_text: str, line: int, code: str) -> TextEdit | None:
    """Add ``code`` to the line's ``# mindport: ignore[...]``, or append such a comment.

    None when the line already ignores ``code`` or has no room for a comment. ``line_text``
    is line ``line`` of ``text``.
    """
    room = comment_room(text)
    comment = room.comments.get(line)
    existing = _IGNORE_CODES.search(comment[1]) if comment else None
    if comment is not None and existing is not None:
        codes = [c.strip() for c in existing.group(1).split(",") if c.strip()]
        if code in codes:
            return None
        start, end = (comment[0] + offset for offset in existing.span(1))
        return TextEdit(Span(Position(line, start), Position(line, end)), ", ".join([*codes, code]))
    if line in room.no_room:
        return None
    body = line_text.rstrip("\r\n")
    position = Position(line, len(body))
    return TextEdit(Span(position, position), f"  # mindport: ignore[{code}]")
