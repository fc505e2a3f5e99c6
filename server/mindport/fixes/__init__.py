"""Edits that port code: minimal text edits at syntax-tree spans, never a reprint of the file."""
