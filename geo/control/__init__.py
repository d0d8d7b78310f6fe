"""Control of places over time: who held a town, and since when.

Kept as a package so the curated reference timeline (``geo.control.curated``) and the
control logic built on extracted events can live side by side without importing each other.
"""
