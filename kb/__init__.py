"""kb: a docs-as-code knowledge wiki. The core, independent of any site engine.

    from kb import build_knowledge_base
    kb = build_knowledge_base(Path("content"))
    for diagnostic in kb.diagnostics:
        print(diagnostic.format())
"""

from kb.config import KbConfig
from kb.diagnostics import Diagnostic, Severity
from kb.knowledge import KnowledgeBase, build_knowledge_base
from kb.model import Article, PageType, Person, Status, Topic, TopicDescription

__all__ = [
    "Article",
    "Diagnostic",
    "KbConfig",
    "KnowledgeBase",
    "PageType",
    "Person",
    "Severity",
    "Status",
    "Topic",
    "TopicDescription",
    "build_knowledge_base",
]
