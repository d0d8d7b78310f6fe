"""geo: news articles -> dated, geocoded, force-attributed events -> control maps.

The package follows the data flow; each step is a module or sub-package named after it:

    read      article files -> text, title, publication date
    extract   sentences -> places, dates, forces, event types, evidence
    geocode   gazetteer and geocoder backends (offline by default)
    store     SQLite or PostGIS behind one interface
    control   control timeline, areas and front lines (later)
    maps      folium maps with vendored, offline assets (later)

The command line (``python -m geo``) and the Streamlit pages are thin shells over it.
This package never imports streamlit.
"""

__version__ = "0.1.0"
