"""Sentence alignment of a Chinese text and its English version into scored beads."""

from zhen.aligner.aligner import align_sentences
from zhen.aligner.links import Bead, read_align_links, write_align_links

__all__ = ["Bead", "align_sentences", "read_align_links", "write_align_links"]
