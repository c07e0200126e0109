"""The files kb and the site engine write into the site themselves, by their path in the site.

Each name has its one owner here: the stages that write these files take their paths from this
module, and collect refuses a content file that would take one of them (kb.read.collisions).
"""

from __future__ import annotations

from dataclasses import dataclass

#: kb's own folder: the theme layer's stylesheets and scripts (theme/assets/kb/) and the data
#: kb generates for them.
ASSETS_DIR = "assets/kb"
PREVIEWS_DIR = f"{ASSETS_DIR}/previews"
GRAPH_PATH = f"{ASSETS_DIR}/graph.json"
INSIGHTS_PATH = f"{ASSETS_DIR}/insights.json"
#: Everyone in a people directory too long to show whole, for its filter (people.js).
DIRECTORY_PATH = f"{ASSETS_DIR}/people.json"
#: The search index's shards and manifest (kb.search.shards).
SEARCH_DIR = "search"
#: The site's Atom feed, and the folder of one feed per topic (kb.render.feeds).
FEED_PATH = "feed.xml"
FEEDS_DIR = "feeds"
#: What MkDocs writes into every site: the theme's error page and the sitemap.
ENGINE_FILES = ("404.html", "sitemap.xml", "sitemap.xml.gz")

#: Files at fixed places in the site.
RESERVED_FILES: tuple[str, ...] = (FEED_PATH, *ENGINE_FILES)
#: Folders where kb names its files as it builds (a shard per search term prefix, a feed per
#: topic, the theme's assets), so that no content file there is safe. Every file kb writes in
#: them has a suffix (`.json`, `.xml`, `.css`, `.js`), and none is a page.
RESERVED_DIRS: tuple[str, ...] = (ASSETS_DIR, SEARCH_DIR, FEEDS_DIR)


@dataclass(frozen=True)
class IndexPage:
    """A page every kb site has: the wiki may write it, else kb generates it."""

    kind: str
    #: Its content path; `{topics_dir}` and `{people_dir}` are the site's folders.
    path: str
    #: Its title, which a [[wikilink]] may name it by; None for the home page, titled by the site's name.
    title: str | None
    #: Its label in the navigation kb gives a wiki whose mkdocs.yml has none.
    nav_label: str

    def content_path(self, topics_dir: str, people_dir: str) -> str:
        return self.path.format(topics_dir=topics_dir, people_dir=people_dir)


#: The index pages, in the order of the navigation: each one's path, title and label, once.
INDEX_PAGES: tuple[IndexPage, ...] = (
    IndexPage("home", "index.md", None, "Home"),
    IndexPage("topics", "{topics_dir}/index.md", "Topics", "Topics"),
    IndexPage("people", "{people_dir}/index.md", "People", "People"),
    IndexPage("changes", "changes.md", "Recent changes", "Changes"),
    IndexPage("insights", "insights.md", "Insights", "Insights"),
)
