"""Docking: engagements, rounds and the batch plan."""
