"""Text primitives: controls, normalisation, script folding, sentences, tokens, stems, numbers."""
