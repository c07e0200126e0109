"""Stages 1 to 3, read: the content folder and its git history, as kb finds them.

In: a content directory (and the repository around it) and KbConfig.
Out: a Collection of source files (kb.read.collect), the parsed pages with their diagnostics
(kb.read.pages, from each file by kb.read.parse), and the History of every page (kb.read.history).
Whether a page may be published at all is decided here (kb.read.publication), before anything
is derived from it.
"""
