"""The hostile-input suite: generated attack files run through every zhen reader and writer."""
