"""kb: a docs-as-code knowledge wiki. The core, independent of any site engine.

    from kb import build_knowledge_base
    kb = build_knowledge_base(Path("content"))
    for diagnostic in kb.diagnostics:
        print(diagnostic.format())
"""

import os

# Without a git program, GitPython refuses to be imported at all; kb reports "no history"
# instead (kb.read.history, kb.read.worktree), so it must import quietly.
os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")

from kb.analyse.knowledge import KnowledgeBase, build_knowledge_base  # noqa: E402
from kb.config import KbConfig  # noqa: E402
from kb.diagnostics import Diagnostic, Severity  # noqa: E402
from kb.model import Article, PageType, Person, Status, Topic, TopicDescription  # noqa: E402

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
