"""Channel shares, target measures, targets and progress, the national league: computed from cell counts."""
