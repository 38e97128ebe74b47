"""Opinion maps: statements, votes, opinion groups and consensus, as Pol.is computes them."""
