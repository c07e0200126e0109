"""Search: kb's prebuilt lunr index. `lunrindex` builds an index identical to lunr.js's own, fast
enough for large wikis; sharding it and the search page build on it."""
