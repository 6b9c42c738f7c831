"""Reads of statuses (the services are the writes), a module for each thing read.

- visibility: the one rule every read goes through, in SQL and in memory, and the list filter;
- single: one status as a viewer may see it; rows: the rows of a page; flags: what a viewer
  has done to a page; page: what a page shows beyond its rows;
- context, timelines, contributions and lists (SelfCommunity's lists), comments, people (who
  favourited or reblogged), feedback (votes, flags, follows), quotes, polls, cards, history,
  scheduled, translation, pages (the public HTML pages), stats.
"""
