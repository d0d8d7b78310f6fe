"""Writers that turn query results into files other tools read (ACLED-style CSV, ...)."""
