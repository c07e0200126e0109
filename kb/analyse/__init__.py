"""Stage 4, analyse: the parsed pages and the history → one frozen KnowledgeBase.

In: the Collection, the parsed pages and the History (kb.read).
Out: a KnowledgeBase (kb.analyse.knowledge): topics, people and their identities, who changed
what (kb.analyse.contributions), the link graph and backlinks, and the derived stages, which
read only the narrow Facts (kb.analyse.facts): reviews, expertise and insights. Nothing
downstream changes it.
"""
