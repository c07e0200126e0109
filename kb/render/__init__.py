"""Stages 5 and 7, generate and emit: the KnowledgeBase → what kb adds to a site.

In: a KnowledgeBase, the site's name, URL and its own pages.
Out: a Site (kb.render.generate.generate_site): the pages kb generates, the views each page
shows (kb.views), and the data files (link previews, graph, insights, feeds) as bytes by site
path. Also what every page's HTML passes through: [[wikilinks]] as ordinary links
(kb.render.wikilinks), the sanitiser (kb.render.sanitize) and the Content Security Policy
(kb.render.csp), and the text a new page starts with (kb.render.starters).
"""
