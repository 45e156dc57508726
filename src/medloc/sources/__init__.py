"""Where articles come from: the project folder (default) and remote pages, sitemaps and feeds."""
