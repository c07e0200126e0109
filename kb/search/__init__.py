"""Search, the last stage: the KnowledgeBase → kb's prebuilt search index, sharded.

In: the parsed pages' texts (kb.search.site.page_texts, as soon as they are parsed) and, once the
analysis is done, each article's topics, people and dates (kb.search.site.search_input).
Out: the files under `search/` as bytes by site path: a lunr index identical to lunr.js's own
(kb.search.lunrindex), split into shards (kb.search.shards), with the facets and cards the
search box shows.
"""
