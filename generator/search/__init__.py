"""Search: the site's Pagefind index (the terminal's lunr search is `cli._search`)."""
