"""Site generation: pages, cards, feeds and open data as plain data, from the corpus."""
