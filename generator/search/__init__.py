"""Search: the site's Pagefind index and the terminal's lunr search."""
