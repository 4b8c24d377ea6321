"""Domain services: rules over plain values, no Flask, no Cypher."""
