"""Social network: follows, connections, blocks, mutes, posts, comments, feeds."""
